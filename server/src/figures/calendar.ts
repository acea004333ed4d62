/**
 * The centre's calendar for figures: which shift, local hour and weekday an instant falls in, and
 * where its local day starts, all in the centre's zone (the lobby's, Asia/Seoul by default) with
 * the lobby's own shift calendar (SHIFTS). Pure: the instant is always an argument.
 */
import { MINUTES_PER_DAY, ZonedCalendar } from '../lobby/calendar';
import { ShiftCalendar } from '../lobby/shifts';
import type { ShiftDefinition } from '../lobby/types';

const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = MINUTES_PER_DAY * MS_PER_MINUTE;

/** When a call arrived, in the centre's terms. */
export interface Arrival {
  shift: string | null;
  /** 0–23, local. */
  hour: number;
  /** 0 = Sunday, local. */
  weekday: number;
}

export class CentreCalendar {
  readonly #zoned: ZonedCalendar;
  readonly #shifts: ShiftCalendar;

  /** @throws RangeError on an unknown zone or a calendar the lobby would refuse */
  constructor(
    readonly timeZone: string,
    shifts: readonly ShiftDefinition[],
  ) {
    this.#zoned = new ZonedCalendar(timeZone);
    const parsed = ShiftCalendar.parse(shifts);
    if (!parsed.ok) throw new RangeError(parsed.message);
    this.#shifts = parsed.calendar;
  }

  arrival(at: number): Arrival {
    const mow = this.#zoned.minuteOfWeek(at);
    return {
      shift: this.#shifts.shiftAt(this.#zoned, at),
      hour: Math.floor((mow % MINUTES_PER_DAY) / 60),
      weekday: Math.floor(mow / MINUTES_PER_DAY),
    };
  }

  /** Local midnight at or before `at`. One correction step absorbs a daylight-saving change that day. */
  startOfDay(at: number): number {
    const minute = Math.floor(at / MS_PER_MINUTE) * MS_PER_MINUTE;
    let start = minute - (this.#zoned.minuteOfWeek(at) % MINUTES_PER_DAY) * MS_PER_MINUTE;
    const off = this.#zoned.minuteOfWeek(start) % MINUTES_PER_DAY;
    if (off !== 0) start -= (off > MINUTES_PER_DAY / 2 ? off - MINUTES_PER_DAY : off) * MS_PER_MINUTE;
    return start;
  }

  /** The start of the local day `days` days before the one `at` is in (0: that day). */
  daysBefore(at: number, days: number): number {
    let start = this.startOfDay(at);
    // Day by day, each from a point safely inside the day before: days need not last 24 h.
    for (let i = 0; i < days; i++) start = this.startOfDay(start - MS_PER_DAY / 2);
    return start;
  }
}
