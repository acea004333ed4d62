/**
 * Time away per reason and occupancy, from presence intervals: pure functions of the intervals, the
 * range and the moment of asking. An interval counts for the part of it inside [from, to); one still
 * open counts up to `now` (never past it).
 *
 * Occupancy (agents): (in-call + wrap-up) / (available + offered + in-call + wrap-up), by time. Its
 * `n` is that denominator in milliseconds (the time the rate is measured over); `value` is null when
 * it is 0. For volunteers the same idea: in-call / (available + invited + in-call).
 */
import {
  ALL_AWAY_REASONS,
  type PresenceResponse,
  type Rate,
  type StaffPresence,
} from '../../../common/presence';

export type { PresenceResponse, Rate, StaffPresence };

export interface StaffInterval {
  accountId: string;
  name: string;
  role: 'agent' | 'volunteer';
  state: string;
  reason: string | null;
  start: number;
  end: number | null;
}

/** Intervals already summed (wholly inside the range), as the store gives them. */
export interface StaffTotal {
  accountId: string;
  name: string;
  role: 'agent' | 'volunteer';
  state: string;
  reason: string | null;
  ms: number;
  intervals: number;
}

/** Away with no reason given (an older client, the lobby's API used directly). */
export const UNSPECIFIED_REASON = 'unspecified';

const BUSY: Record<'agent' | 'volunteer', readonly string[]> = {
  agent: ['in-call', 'wrap-up'],
  volunteer: ['in-call'],
};
const STAFFED: Record<'agent' | 'volunteer', readonly string[]> = {
  agent: ['available', 'offered', 'in-call', 'wrap-up'],
  volunteer: ['available', 'invited', 'in-call'],
};

/** The part of an interval inside [from, to), an open one lasting until `now`. 0 when none. */
export function clippedMs(
  interval: Pick<StaffInterval, 'start' | 'end'>,
  from: number,
  to: number,
  now: number,
): number {
  const end = Math.min(interval.end ?? now, to);
  return Math.max(0, end - Math.max(interval.start, from));
}

/** busy / staffed time, with the staffed time as its sample. */
export function occupancyOf(msByState: Readonly<Record<string, number>>, role: 'agent' | 'volunteer'): Rate {
  const sum = (states: readonly string[]) => states.reduce((total, s) => total + (msByState[s] ?? 0), 0);
  const n = sum(STAFFED[role]);
  return { value: n === 0 ? null : sum(BUSY[role]) / n, n };
}

/**
 * The supervisor's figures for one range. `totals` are intervals wholly inside it (summed),
 * `edges` the ones that cross an end or are open (clipped here); an interval must be in one only.
 */
export function presenceFigures(input: {
  from: number;
  to: number;
  now: number;
  totals: readonly StaffTotal[];
  edges: readonly StaffInterval[];
}): PresenceResponse {
  const { from, to, now } = input;
  const clipped: StaffTotal[] = [];
  for (const e of input.edges) {
    const ms = clippedMs(e, from, to, now);
    if (ms > 0) clipped.push({ ...e, ms, intervals: 1 });
  }
  const staff = new Map<string, StaffPresence>();
  const away = new Map<string, { ms: number; intervals: number }>(
    ALL_AWAY_REASONS.map((r) => [r, { ms: 0, intervals: 0 }]),
  );
  for (const t of [...input.totals, ...clipped]) {
    if (t.ms <= 0) continue;
    let s = staff.get(t.accountId);
    if (s === undefined) {
      s = {
        accountId: t.accountId,
        name: t.name,
        role: t.role,
        msByState: {},
        awayByReason: {},
        occupancy: { value: null, n: 0 },
      };
      staff.set(t.accountId, s);
    }
    s.msByState[t.state] = (s.msByState[t.state] ?? 0) + t.ms;
    if (t.state === 'away') {
      const reason = t.reason ?? UNSPECIFIED_REASON;
      s.awayByReason[reason] = (s.awayByReason[reason] ?? 0) + t.ms;
      const all = away.get(reason) ?? { ms: 0, intervals: 0 };
      all.ms += t.ms;
      all.intervals += t.intervals;
      away.set(reason, all);
    }
  }
  const agentsTogether: Record<string, number> = {};
  for (const s of staff.values()) {
    s.occupancy = occupancyOf(s.msByState, s.role);
    if (s.role !== 'agent') continue;
    for (const [state, ms] of Object.entries(s.msByState))
      agentsTogether[state] = (agentsTogether[state] ?? 0) + ms;
  }
  return {
    from,
    to,
    // Every reason on the list (so a table shows zeros too), then any other, in that order.
    awayByReason: [...away].map(([reason, v]) => ({ reason, ...v })),
    staff: [...staff.values()].sort(
      (a, b) =>
        a.role.localeCompare(b.role) ||
        a.name.localeCompare(b.name) ||
        a.accountId.localeCompare(b.accountId),
    ),
    occupancy: occupancyOf(agentsTogether, 'agent'),
  };
}
