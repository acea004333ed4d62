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
