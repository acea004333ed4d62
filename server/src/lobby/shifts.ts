// The shift calendar: which named shift a local time falls in. Agents carry an optional shift name
// (validated against this calendar); the lobby reports online agents per shift and the current shift.
// Shifts do not log agents on or off: people do, through setAgentPresence.
import { MINUTES_PER_DAY, parseClockTime } from './calendar';
import type { ZonedCalendar } from './calendar';
import type { ShiftDefinition } from './types';

export const DEFAULT_SHIFTS: readonly ShiftDefinition[] = [
  { name: 'day', start: '09:00', end: '18:00' },
  { name: 'night', start: '18:00', end: '24:00' },
  { name: 'late-night', start: '00:00', end: '09:00' },
];

/** A shift's name: what the CLI stores on an account and the supervisor page shows. */
export const SHIFT_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * The shift calendar as an operator writes it in one environment variable:
 * `day=09:00-18:00;night=18:00-24:00;late-night=00:00-09:00`, each shift optionally limited to
 * weekdays (a weekly roster): `weekend=09:00-18:00@sat,sun` or `@mon-fri`. Checked as the lobby
 * checks a calendar, so what parses here is what the lobby runs.
 */
export function parseShiftSpec(
  text: string,
): { ok: true; shifts: ShiftDefinition[] } | { ok: false; message: string } {
  const shifts: ShiftDefinition[] = [];
  for (const part of text.split(';').map((p) => p.trim())) {
    if (part === '') continue;
    const m = /^([^=]+)=(\d{2}:\d{2})-(\d{2}:\d{2})(?:@(.+))?$/.exec(part);
    if (m === null) return { ok: false, message: `'${part}' is not NAME=HH:MM-HH:MM[@days]` };
    const [, name, start, end, dayList] = m as unknown as [string, string, string, string, string?];
    if (!SHIFT_NAME.test(name))
      return { ok: false, message: `shift name '${name}' must be 1-32 of a-z, 0-9, '_' and '-'` };
    const days = dayList === undefined ? undefined : parseWeekdays(dayList);
    if (days === null) return { ok: false, message: `shift '${name}': days must be like mon-fri or sat,sun` };
    shifts.push({ name, start, end, ...(days && { days }) });
  }
  if (shifts.length === 0) return { ok: false, message: 'at least one shift is needed' };
  const checked = ShiftCalendar.parse(shifts);
  return checked.ok ? { ok: true, shifts } : checked;
}

/** `mon-fri`, `sat,sun` or `mon,wed-fri` → weekday numbers (0 = Sunday); null when malformed. */
function parseWeekdays(text: string): number[] | null {
  const days = new Set<number>();
  for (const item of text.split(',')) {
    const [from, to = from, extra] = item.trim().split('-');
    const a = WEEKDAY_NAMES.indexOf(from as (typeof WEEKDAY_NAMES)[number]);
    const b = WEEKDAY_NAMES.indexOf(to as (typeof WEEKDAY_NAMES)[number]);
    if (a === -1 || b === -1 || extra !== undefined) return null;
    // A range may wrap the week's end: fri-mon is Friday to Monday.
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return [...days].sort((x, y) => x - y);
}

/** The calendar written back in the form parseShiftSpec reads (for the CLI's and the docs' output). */
export function formatShift(shift: ShiftDefinition): string {
  const days = shift.days === undefined ? '' : `@${formatWeekdays(shift.days)}`;
  return `${shift.name}=${shift.start}-${shift.end}${days}`;
}

/** Weekday numbers (0 = Sunday) as parseShiftSpec reads them: `mon,tue`. */
export function formatWeekdays(days: readonly number[]): string {
  return days.map((d) => WEEKDAY_NAMES[d]).join(',');
}

interface ParsedShift {
  name: string;
  start: number;
  end: number;
  days: ReadonlySet<number> | null;
}

export class ShiftCalendar {
  private constructor(private readonly shifts: ParsedShift[]) {}

  static parse(defs: unknown): { ok: true; calendar: ShiftCalendar } | { ok: false; message: string } {
    if (!Array.isArray(defs)) return { ok: false, message: 'shifts must be an array' };
    const parsed: ParsedShift[] = [];
    for (const def of defs as unknown[]) {
      if (typeof def !== 'object' || def === null)
        return { ok: false, message: 'each shift must be an object' };
      const { name, start, end, days } = def as Partial<ShiftDefinition>;
      if (typeof name !== 'string' || name.length === 0)
        return { ok: false, message: 'shift name must be set' };
      if (parsed.some((p) => p.name === name)) return { ok: false, message: `duplicate shift '${name}'` };
      const s = parseClockTime(start, false);
      const e = parseClockTime(end, true);
      if (s === null || e === null || s === e) {
        return { ok: false, message: `shift '${name}' needs distinct 'HH:MM' start and end` };
      }
      if (
        days !== undefined &&
        (!Array.isArray(days) || days.some((d) => !Number.isInteger(d) || d < 0 || d > 6))
      ) {
        return { ok: false, message: `shift '${name}' days must be integers 0-6` };
      }
      parsed.push({ name, start: s, end: e, days: days === undefined ? null : new Set(days) });
    }
    return { ok: true, calendar: new ShiftCalendar(parsed) };
  }

  has(name: string): boolean {
    return this.shifts.some((s) => s.name === name);
  }

  /** Name of the first shift covering `at`, or null. A shift with start > end runs across midnight. */
  shiftAt(calendar: ZonedCalendar, at: number): string | null {
    const mow = calendar.minuteOfWeek(at);
    const day = Math.floor(mow / MINUTES_PER_DAY);
    const minute = mow % MINUTES_PER_DAY;
    for (const s of this.shifts) {
      if (s.days !== null && !s.days.has(day)) continue;
      const inside =
        s.start < s.end ? minute >= s.start && minute < s.end : minute >= s.start || minute < s.end;
      if (inside) return s.name;
    }
    return null;
  }
}
