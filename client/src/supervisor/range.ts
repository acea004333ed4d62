// The period every history part of the page (figures, charts, call list, the sections) is about.

/** `today` = since local midnight of the centre's zone; `7d` = the last 7 local days including today. */
export type Period = 'today' | '7d';
export const PERIODS: readonly Period[] = ['today', '7d'];

/** What the API's range parameters say: a named period, or an explicit span in ms since epoch. */
export type Range = { period: Period } | { from: number; to: number };

/** The range as the query parameters every /api/supervisor history route takes. */
export function rangeParams(range: Range): URLSearchParams {
  return 'period' in range
    ? new URLSearchParams({ period: range.period })
    : new URLSearchParams({ from: String(range.from), to: String(range.to) });
}

/** A short token for file names and keys: `today`, `7d`, or `from-to`. */
export function rangeToken(range: Range): string {
  return 'period' in range ? range.period : `${range.from}-${range.to}`;
}
