/**
 * The centre's figures over a set of calls (docs/metrics.md has each formula and which calls count),
 * in total and per group. Pure: summaries in, numbers out.
 */
import { type CallSummary, SHORT_ABANDON_MS } from './callSummary';

import type { GroupBy, GroupFigures, Mean, Rate } from '../../../common/figures';
export { GROUP_BYS, type GroupBy, type GroupFigures, type Mean, type Rate } from '../../../common/figures';

/** The group of calls without a shift (the calendar did not cover their arrival). */
export const NO_SHIFT = '(none)';

export function rate(numerator: number, n: number): Rate {
  return { value: n === 0 ? null : numerator / n, n };
}

export function mean(values: readonly number[]): Mean {
  const n = values.length;
  return { value: n === 0 ? null : values.reduce((a, b) => a + b, 0) / n, n };
}

/** The figures of these calls; `thresholds` in seconds (service level within each). */
export function groupFigures(calls: readonly CallSummary[], thresholds: readonly number[]): GroupFigures {
  const answered = calls.filter((c) => c.answerWaitMs !== null);
  const leftLine = calls.filter((c) => c.abandonWaitMs !== null);
  const shortAbandoned = leftLine.filter((c) => c.abandonWaitMs! < SHORT_ABANDON_MS).length;
  const abandoned = leftLine.length - shortAbandoned;
  const offered = answered.length + abandoned;
  const waits = answered.map((c) => c.answerWaitMs!);

  const serviceLevel: Record<string, Rate> = {};
  for (const t of thresholds)
    serviceLevel[String(t)] = rate(waits.filter((w) => w <= t * 1000).length, offered);

  const fallback = calls.filter((c) => c.fallbackOffered);
  const bridged = answered.filter((c) => c.firstInvitedAt !== null);
  const filled = bridged.filter((c) => c.firstJoinedAt !== null);
  // A caller who switched to text or stepped away (callback) left the line the estimate was about:
  // their wait says nothing about it (like a hang-up's), so it is not held against the estimate.
  const estimated = answered.filter(
    (c) => c.shownEstimateMs !== null && !c.fallbackChoices.has('text') && !c.fallbackChoices.has('callback'),
  );
  const errors = estimated.map((c) => c.shownEstimateMs! - c.answerWaitMs!);
  const wrapped = calls.filter((c) => c.resolved !== null);
  const rated = calls.filter((c) => c.rating !== null);
  const handled = answered.filter((c) => c.talkMs !== null);
  const offers = calls.reduce((sum, c) => sum + c.offers, 0);

  return {
    calls: calls.length,
    offered,
    answered: answered.length,
    abandoned,
    shortAbandoned,
    serviceLevel,
    asaMs: mean(waits),
    abandonmentRate: rate(abandoned, offered),
    keepPlaceRate: rate(fallback.filter((c) => c.fallbackChoices.has('callback')).length, fallback.length),
    textFallbackRate: rate(fallback.filter((c) => c.fallbackChoices.has('text')).length, fallback.length),
    offerNonResponseRate: rate(
      calls.reduce((sum, c) => sum + c.offersUnanswered, 0),
      offers,
    ),
    interpreterFillRate: rate(filled.length, bridged.length),
    interpreterJoinMs: mean(filled.map((c) => c.firstJoinedAt! - c.firstInvitedAt!)),
    estimateError: {
      biasMs: mean(errors).value,
      meanAbsMs: mean(errors.map(Math.abs)).value,
      n: errors.length,
    },
    firstContactResolution: rate(wrapped.filter((c) => c.resolved === true).length, wrapped.length),
    satisfaction: rate(rated.filter((c) => c.rating! >= 4).length, rated.length),
    surveyResponse: rate(answered.filter((c) => c.rating !== null).length, answered.length),
    ahtMs: mean(handled.map((c) => c.talkMs! + (c.wrapUpMs ?? 0))),
  };
}

/** The group a call counts in; null: in none (an unanswered call has no agent). */
export function groupKey(call: CallSummary, by: GroupBy): string | null {
  switch (by) {
    case 'none':
      return 'all';
    case 'shift':
      return call.arrival.shift ?? NO_SHIFT;
    case 'language':
      return call.language;
    case 'hour':
      return String(call.arrival.hour).padStart(2, '0');
    case 'weekday':
      return String(call.arrival.weekday);
    case 'mode':
      return call.mode;
    case 'agent':
      return call.agentId;
  }
}

export interface FiguresResult {
  total: GroupFigures;
  groups: { key: string; figures: GroupFigures }[];
}

/** The total and, unless `by` is `none`, one entry per group, sorted by key. */
export function computeFigures(
  calls: readonly CallSummary[],
  by: GroupBy,
  thresholds: readonly number[],
): FiguresResult {
  const groups = new Map<string, CallSummary[]>();
  if (by !== 'none')
    for (const call of calls) {
      const key = groupKey(call, by);
      if (key === null) continue;
      const list = groups.get(key);
      if (list) list.push(call);
      else groups.set(key, [call]);
    }
  return {
    total: groupFigures(calls, thresholds),
    groups: [...groups.keys()]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((key) => ({ key, figures: groupFigures(groups.get(key)!, thresholds) })),
  };
}
