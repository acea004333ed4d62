/**
 * The range every supervisor history route takes: `period=today|7d`, or `from` and `to` in ms since
 * the epoch; neither is today. "today" is since the centre's local midnight, "7d" the last 7 local
 * days including today, both up to now. Spread `RANGE` into a route's query schema and refine it
 * with `checkRange`, so each route words the same refusals alike.
 */
import { z } from 'zod';
import type { CentreCalendar } from '../figures/calendar';

export const MAX_RANGE_MS = 366 * 86_400_000;
export const Ms = z.coerce.number().int('must be whole milliseconds').min(0, 'must not be negative');

/** `period=today|7d`, or `from` and `to` (ms since epoch, from < to, at most 366 days apart). */
export const RANGE = {
  period: z.enum(['today', '7d']).optional(),
  from: Ms.optional(),
  to: Ms.optional(),
};
export type Range = {
  period?: 'today' | '7d' | undefined;
  from?: number | undefined;
  to?: number | undefined;
};

export function checkRange(q: Range, ctx: z.RefinementCtx): void {
  if (q.period !== undefined && (q.from !== undefined || q.to !== undefined))
    ctx.addIssue({ code: 'custom', path: ['period'], message: 'give either period or from and to' });
  if ((q.from === undefined) !== (q.to === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [q.from === undefined ? 'from' : 'to'],
      message: 'from and to go together',
    });
  if (q.from !== undefined && q.to !== undefined) {
    if (q.from >= q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
    else if (q.to - q.from > MAX_RANGE_MS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'the range must be at most 366 days' });
  }
}

/** The range asked for; "today" is since the centre's local midnight, "7d" the last 7 local days. */
export function rangeOf(
  q: Range,
  deps: { calendar: CentreCalendar; clock: () => number },
): { from: number; to: number } {
  if (q.from !== undefined && q.to !== undefined) return { from: q.from, to: q.to };
  const now = deps.clock();
  const from = q.period === '7d' ? deps.calendar.daysBefore(now, 6) : deps.calendar.startOfDay(now);
  // `to` is exclusive: a call that arrived this very millisecond is in.
  return { from, to: now + 1 };
}
