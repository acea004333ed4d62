// How honest the wait estimate was, per language: the estimate shown on arrival against the actual wait
// of the callers answered live (the definition of docs/metrics.md), and the criterion it must meet.
import type { CallRecord } from './engine';

/** A language is held to the criterion once it has this many calls (answered or not). */
export const MIN_CALLS = 30;
/** Mean (shown − actual) must lie within ± this. */
export const MAX_BIAS_MS = 30_000;
/** Mean |shown − actual| must stay within the larger of this and half the mean wait. */
export const MAE_FLOOR_MS = 60_000;

export interface AccuracyRow {
  language: string;
  calls: number;
  /** Answered live with an estimate shown on arrival: the calls the figures are over. */
  measured: number;
  meanWaitMs: number | null;
  biasMs: number | null;
  /**
   * Half-width of the bias's 95% confidence interval (1.96 · sd / √measured): with a handful of
   * measured calls, a bias inside it is as likely luck of the day as a fault of the estimator.
   */
  biasMarginMs: number | null;
  maeMs: number | null;
  /** max(MAE_FLOOR_MS, mean wait / 2). */
  maeLimitMs: number | null;
  /** null: fewer than MIN_CALLS calls, or none measured; not held to the criterion. */
  pass: boolean | null;
}

/**
 * A live answer with an estimate, on the line it was about: not a callback (answered later by
 * choice) nor a switch to text (answered on another line), as docs/metrics.md counts estimateError.
 */
function measuredWait(c: CallRecord): { shown: number; wait: number } | null {
  if (c.matchedAt === null || c.shownEstimateMs === null) return null;
  if (c.fallback === 'callback' || c.fallback === 'text') return null;
  return { shown: c.shownEstimateMs, wait: c.matchedAt - c.arrivedAt };
}

function row(language: string, calls: readonly CallRecord[]): AccuracyRow {
  let n = 0;
  let waitSum = 0;
  let biasSum = 0;
  let absSum = 0;
  let squareSum = 0;
  for (const c of calls) {
    const m = measuredWait(c);
    if (m === null) continue;
    n++;
    waitSum += m.wait;
    biasSum += m.shown - m.wait;
    absSum += Math.abs(m.shown - m.wait);
    squareSum += (m.shown - m.wait) ** 2;
  }
  if (n === 0) {
    const none = {
      meanWaitMs: null,
      biasMs: null,
      biasMarginMs: null,
      maeMs: null,
      maeLimitMs: null,
      pass: null,
    };
    return { language, calls: calls.length, measured: 0, ...none };
  }
  const meanWaitMs = waitSum / n;
  const biasMs = biasSum / n;
  const maeMs = absSum / n;
  const variance = n > 1 ? Math.max(0, (squareSum - n * biasMs * biasMs) / (n - 1)) : null;
  const biasMarginMs = variance === null ? null : (1.96 * Math.sqrt(variance)) / Math.sqrt(n);
  const maeLimitMs = Math.max(MAE_FLOOR_MS, meanWaitMs / 2);
  const held = calls.length >= MIN_CALLS;
  const pass = held ? Math.abs(biasMs) <= MAX_BIAS_MS && maeMs <= maeLimitMs : null;
  return {
    language,
    calls: calls.length,
    measured: n,
    meanWaitMs,
    biasMs,
    biasMarginMs,
    maeMs,
    maeLimitMs,
    pass,
  };
}

/** One row per language, most calls first, then one for all calls (never held to the criterion). */
export function estimateAccuracy(calls: readonly CallRecord[]): { rows: AccuracyRow[]; all: AccuracyRow } {
  const byLanguage = new Map<string, CallRecord[]>();
  for (const c of calls) {
    let list = byLanguage.get(c.language);
    if (list === undefined) {
      list = [];
      byLanguage.set(c.language, list);
    }
    list.push(c);
  }
  const rows = [...byLanguage].map(([language, list]) => row(language, list));
  rows.sort((a, b) => b.calls - a.calls || a.language.localeCompare(b.language));
  return { rows, all: { ...row('all', calls), pass: null } };
}

/** Languages held to the criterion that miss it. */
export function failing(rows: readonly AccuracyRow[]): AccuracyRow[] {
  return rows.filter((r) => r.pass === false);
}
