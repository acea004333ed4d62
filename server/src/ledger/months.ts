/**
 * Calendar months in the centre's time zone, as instants. A volunteer programme reports per month of
 * the centre's calendar, so a call at 00:30 on the 1st in Seoul belongs to that month, not the one
 * before it in UTC.
 */

export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `YYYY-MM` of an instant in `timeZone`. */
export function monthOf(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(at);
  const year = parts.find((p) => p.type === 'year')?.value ?? '';
  const month = parts.find((p) => p.type === 'month')?.value ?? '';
  return `${year}-${month}`;
}

/** How far `timeZone` is ahead of UTC at `at`, in ms (Seoul: +9 h). */
function offsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour') % 24, n('minute'), n('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant of local midnight starting the 1st of `year`-`month` (1-based; 13 rolls over). */
function monthStart(year: number, month: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, 1);
  // Two steps: the offset at the guess may differ from the one at the answer across a DST change.
  const guess = naive - offsetMs(naive, timeZone);
  return naive - offsetMs(guess, timeZone);
}

/** `[from, to)` of a `YYYY-MM` month in `timeZone`. @throws RangeError on a malformed month */
export function monthBounds(month: string, timeZone: string): { from: number; to: number } {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  const year = Number(m[1]);
  const index = Number(m[2]);
  return { from: monthStart(year, index, timeZone), to: monthStart(year, index + 1, timeZone) };
}

/** Every month from `first` to `last` inclusive, in order. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = last.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}
