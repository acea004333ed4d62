/**
 * The range a figures request asks for: `period=today|7d`, or `from` and `to` in ms. "today" is
 * since local midnight in the centre's zone, "7d" the last 7 local days including today; both end
 * now. Parsed with zod; a bad value is a 400 naming the field.
 */
import { z } from 'zod';
import { RelayError } from '../../../common/errors';
import type { ZonedCalendar } from '../lobby/calendar';
import { MINUTES_PER_DAY } from '../lobby/calendar';

export const MAX_RANGE_MS = 366 * 24 * 3600 * 1000;
const MS_PER_MINUTE = 60_000;

const Ms = z.coerce.number().int().min(0).max(8.64e15);

export const RangeQuery = z
  .object({
    period: z.enum(['today', '7d']).optional(),
    from: Ms.optional(),
    to: Ms.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.period !== undefined) {
      for (const field of ['from', 'to'] as const) {
        if (q[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: 'give either period or from and to, not both',
          });
      }
      return;
    }
    if (q.from === undefined)
      return ctx.addIssue({ code: 'custom', path: ['from'], message: 'period, or from and to, is required' });
    if (q.to === undefined)
      return ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is required with from' });
    if (q.from >= q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must be before to' });
    else if (q.to - q.from > MAX_RANGE_MS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'the range must be at most 366 days' });
  });

/** Local midnight of the day `at` falls on, in the calendar's zone (a DST shift is corrected once). */
export function localMidnight(at: number, calendar: ZonedCalendar): number {
  const minuteStart = Math.floor(at / MS_PER_MINUTE) * MS_PER_MINUTE;
  let candidate = minuteStart - (calendar.minuteOfWeek(at) % MINUTES_PER_DAY) * MS_PER_MINUTE;
  const off = calendar.minuteOfWeek(candidate) % MINUTES_PER_DAY;
  // Landed past midnight (the day was shorter before `at`): go back; before it: go forward.
  if (off !== 0) candidate -= (off < MINUTES_PER_DAY / 2 ? off : off - MINUTES_PER_DAY) * MS_PER_MINUTE;
  return candidate;
}

/** The range a parsed query names, at `now`. */
export function resolveRange(
  q: z.output<typeof RangeQuery>,
  now: number,
  calendar: ZonedCalendar,
): { from: number; to: number } {
  if (q.period === 'today') return { from: localMidnight(now, calendar), to: now };
  if (q.period === '7d') {
    // Six local days back from today's midnight: noon of that day avoids a DST hour's ambiguity.
    const today = localMidnight(now, calendar);
    return {
      from: localMidnight(today - 6 * MINUTES_PER_DAY * MS_PER_MINUTE + 12 * 3600_000, calendar),
      to: now,
    };
  }
  return { from: q.from!, to: q.to! };
}

/** Parses the query, or throws the 400 (invalid-payload) naming each bad field. */
export function parseRange(
  query: unknown,
  now: number,
  calendar: ZonedCalendar,
): { from: number; to: number } {
  const parsed = RangeQuery.safeParse(query);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      field: String(i.path[0] ?? 'query'),
      message: i.message,
    }));
    throw new RelayError(
      'invalid-payload',
      `Bad range: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      { issues },
    );
  }
  return resolveRange(parsed.data, now, calendar);
}
