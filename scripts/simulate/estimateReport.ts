// The per-language table of the wait estimate's honesty that `npm run simulate` prints: the same
// simulated calls with the lobby's old estimator ('basic', queue only) and its current one
// ('adaptive'). The estimate decides nothing, so both runs hold exactly the same calls.
import type { SimulationResult } from './engine';
import { estimateAccuracy, MAE_FLOOR_MS, MAX_BIAS_MS, MIN_CALLS } from './estimateAccuracy';
import type { AccuracyRow } from './estimateAccuracy';
import type { DaysRow } from './estimateDays';
import { table } from './report';

const s = (ms: number | null): string => (ms === null ? '—' : `${Math.round(ms / 1000)} s`);
const signed = (ms: number | null): string => {
  if (ms === null) return '—';
  const v = Math.round(ms / 1000);
  return `${v > 0 ? '+' : ''}${v} s`;
};
const verdict = (r: AccuracyRow): string => (r.pass === null ? '' : r.pass ? 'pass' : 'FAIL');

/** Throws unless both runs are the same calls with the same outcomes (only the estimates differ). */
export function assertSameCalls(a: SimulationResult, b: SimulationResult): void {
  const outcome = (r: SimulationResult) =>
    r.calls.map((c) => `${c.id} ${c.arrivedAt} ${c.matchedAt} ${c.leftAt} ${c.fallback}`).join('\n');
  if (a.calls.length !== b.calls.length || outcome(a) !== outcome(b))
    throw new Error('the two estimators saw different calls: the estimate must not change decisions');
}

export function estimateReport(after: SimulationResult, before: SimulationResult): string {
  assertSameCalls(after, before);
  const now = estimateAccuracy(after.calls);
  const old = new Map(estimateAccuracy(before.calls).rows.map((r) => [r.language, r]));
  const rows = [...now.rows, now.all].map((r) => {
    const b = r.language === 'all' ? estimateAccuracy(before.calls).all : old.get(r.language);
    return [
      r.language,
      String(r.calls),
      String(r.measured),
      s(r.meanWaitMs),
      s(r.maeLimitMs),
      signed(b?.biasMs ?? null),
      s(b?.maeMs ?? null),
      b === undefined ? '' : verdict(b),
      signed(r.biasMs),
      r.biasMarginMs === null ? '—' : `±${s(r.biasMarginMs)}`,
      s(r.maeMs),
      verdict(r),
    ];
  });
  const fails = (list: AccuracyRow[]) => list.filter((r) => r.pass === false).map((r) => r.language);
  const beforeFails = fails([...old.values()]);
  const afterFails = fails(now.rows);
  return [
    '\nWait estimate by language, before (basic: the queue alone) and after (adaptive: hang-ups learned):',
    `measured = answered live with an estimate shown on arrival; bias / MAE = mean (shown − actual) and mean`,
    `|shown − actual| over them. A language with ${MIN_CALLS}+ calls passes with |bias| ≤ ${MAX_BIAS_MS / 1000} s and MAE ≤ the`,
    `limit, max(${MAE_FLOOR_MS / 1000} s, mean wait / 2). Same calls in both runs; only the estimate shown differs.`,
    `95% ± = the after-bias's 95% confidence half-width (1.96 sd / √measured): a day's bias inside it can be luck.`,
    table(
      [
        '',
        'calls',
        'measured',
        'mean wait',
        'MAE limit',
        'bias before',
        'MAE before',
        '',
        'bias after',
        '95% ±',
        'MAE after',
        '',
      ],
      rows,
    ),
    `failing before: ${beforeFails.join(', ') || 'none'}; after: ${afterFails.join(', ') || 'none'}`,
  ].join('\n');
}

/** The same criterion over N independent days: days passed by each estimator, and every call pooled. */
export function estimateDaysReport(rows: readonly DaysRow[], firstSeed: number, n: number): string {
  const body = rows.map((r) => {
    const a = r.pooledAfter;
    const b = r.pooledBefore;
    const days = (passed: number) => (r.heldDays === 0 ? '—' : `${passed}/${r.heldDays}`);
    return [
      r.language,
      String(a.calls),
      String(a.measured),
      s(a.meanWaitMs),
      s(a.maeLimitMs),
      days(r.passedBefore),
      days(r.passedAfter),
      signed(b.biasMs),
      s(b.maeMs),
      verdict(b),
      signed(a.biasMs),
      s(a.maeMs),
      verdict(a),
    ];
  });
  const fails = (pick: (r: DaysRow) => AccuracyRow) =>
    rows.filter((r) => pick(r).pass === false).map((r) => r.language);
  return [
    `\nWait estimate by language over ${n} independent days (seeds ${firstSeed}–${firstSeed + n - 1}), before`,
    '(basic) and after (adaptive). days passed = days the language met the criterion, of the days it had',
    `${MIN_CALLS}+ calls; bias / MAE pooled over every measured call of all days, held to the same criterion.`,
    table(
      [
        '',
        'calls',
        'measured',
        'mean wait',
        'MAE limit',
        'days passed before',
        'days passed after',
        'bias before',
        'MAE before',
        '',
        'bias after',
        'MAE after',
        '',
      ],
      body,
    ),
    `pooled, failing before: ${fails((r) => r.pooledBefore).join(', ') || 'none'}; after: ${fails((r) => r.pooledAfter).join(', ') || 'none'}`,
  ].join('\n');
}
