// Wall-clock arithmetic in the centre's time zone, for volunteers' weekly hours and for shifts.
// Pure: the instant always comes from the caller (the injected clock).
import type { WeeklyHours } from './types';

export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const MS_PER_MINUTE = 60_000;
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** 'HH:MM' → minutes after midnight; '24:00' only when `allow24`. `null` when malformed. */
export function parseClockTime(value: unknown, allow24: boolean): number | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (m === null) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (minutes > 59) return null;
  if (hours === 24 && minutes === 0 && allow24) return MINUTES_PER_DAY;
  if (hours > 23) return null;
  return hours * 60 + minutes;
}

/** Half-open range of minutes-of-week, [start, end). */
export interface MinuteRange {
  start: number;
  end: number;
}

/** Validates weekly hours and merges them into sorted, disjoint minute-of-week ranges. */
export function weeklyRanges(
  hours: unknown,
): { ok: true; ranges: MinuteRange[] } | { ok: false; message: string } {
  if (!Array.isArray(hours)) return { ok: false, message: 'weeklyHours must be an array' };
  const ranges: MinuteRange[] = [];
  for (const h of hours as unknown[]) {
    if (typeof h !== 'object' || h === null)
      return { ok: false, message: 'each weekly hours entry must be an object' };
    const { day, start, end } = h as Partial<WeeklyHours>;
    if (typeof day !== 'number' || !Number.isInteger(day) || day < 0 || day > 6) {
      return { ok: false, message: `day must be an integer 0-6 (0 = Sunday), got ${String(day)}` };
    }
    const s = parseClockTime(start, false);
    const e = parseClockTime(end, true);
    if (s === null || e === null) return { ok: false, message: `hours must be 'HH:MM' (end may be '24:00')` };
    if (e <= s) return { ok: false, message: `end ${String(end)} must be after start ${String(start)}` };
    ranges.push({ start: day * MINUTES_PER_DAY + s, end: day * MINUTES_PER_DAY + e });
  }
  ranges.sort((a, b) => a.start - b.start);
  const merged: MinuteRange[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return { ok: true, ranges: merged };
}

export function inRanges(ranges: readonly MinuteRange[], minuteOfWeek: number): boolean {
  for (const r of ranges) if (minuteOfWeek >= r.start && minuteOfWeek < r.end) return true;
  return false;
}

/** Minutes from `minuteOfWeek` to the next time `inRanges` flips; `null` when it never does. */
export function minutesToNextFlip(ranges: readonly MinuteRange[], minuteOfWeek: number): number | null {
  const current = inRanges(ranges, minuteOfWeek);
  let best: number | null = null;
  for (const r of ranges) {
    for (const b of [r.start, r.end]) {
      const point = b % MINUTES_PER_WEEK;
      const ahead = (point - minuteOfWeek + MINUTES_PER_WEEK) % MINUTES_PER_WEEK || MINUTES_PER_WEEK;
      // A boundary is a flip only if the state on its far side differs (Sunday 24:00 + Monday 00:00 is not).
      if (inRanges(ranges, point) !== current && (best === null || ahead < best)) best = ahead;
    }
  }
  return best;
}

/** Local weekday and time of an instant in one IANA time zone, cached per minute. */
export class ZonedCalendar {
  private readonly format: Intl.DateTimeFormat;
  private cachedMinute = Number.NaN;
  private cachedValue = 0;

  constructor(readonly timeZone: string) {
    // Throws RangeError on an unknown zone, which the config validation turns into a message.
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
  }

  /** 0 … 10079, Sunday 00:00 = 0. */
  minuteOfWeek(at: number): number {
    const minute = Math.floor(at / MS_PER_MINUTE);
    if (minute === this.cachedMinute) return this.cachedValue;
    let weekday = 0;
    let hour = 0;
    let min = 0;
    for (const part of this.format.formatToParts(at)) {
      if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 0;
      else if (part.type === 'hour') hour = Number(part.value) % 24;
      else if (part.type === 'minute') min = Number(part.value);
    }
    this.cachedMinute = minute;
    this.cachedValue = weekday * MINUTES_PER_DAY + hour * 60 + min;
    return this.cachedValue;
  }

  /**
   * The instant, after `at`, at which weekly `ranges` flip between in and out; `null` if never.
   * One correction step absorbs a daylight-saving jump in between; if it is still off, the caller
   * re-evaluates when the deadline fires, so a wrong guess only costs one extra wake-up.
   */
  nextFlip(at: number, ranges: readonly MinuteRange[]): number | null {
    const now = this.minuteOfWeek(at);
    const ahead = minutesToNextFlip(ranges, now);
    if (ahead === null) return null;
    const target = (now + ahead) % MINUTES_PER_WEEK;
    let candidate = Math.floor(at / MS_PER_MINUTE) * MS_PER_MINUTE + ahead * MS_PER_MINUTE;
    const actual = this.minuteOfWeek(candidate);
    if (actual !== target) {
      const half = MINUTES_PER_WEEK / 2;
      const diff = ((target - actual + MINUTES_PER_WEEK + half) % MINUTES_PER_WEEK) - half;
      candidate += diff * MS_PER_MINUTE;
    }
    return candidate > at ? candidate : Math.floor(at / MS_PER_MINUTE) * MS_PER_MINUTE + MS_PER_MINUTE;
  }
}
