// Instants in Seoul (UTC+9, no daylight saving) by week, weekday and hour: the staffing tests' calendar.
export const S = 1000;
export const MIN = 60 * S;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;
/** Sunday 2 March 2025, 00:00 in Seoul. */
export const SUNDAY = Date.UTC(2025, 2, 1, 15, 0, 0);

/** Week `week` from SUNDAY, weekday (0 = Sunday), hour and minute, in Seoul. */
export function local(week: number, weekday: number, hour: number, minute = 0): number {
  return SUNDAY + week * WEEK + weekday * DAY + hour * HOUR + minute * MIN;
}
