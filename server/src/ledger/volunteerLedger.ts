/**
 * The volunteer ledger: what a volunteer interpreter programme reports to its public sponsor, per
 * volunteer and per month of the centre's calendar — hours online, hours spent interpreting, calls
 * interpreted by language, and how invitations were answered. Pure: the store reads the facts, this
 * counts them.
 */
import { monthBounds, monthOf, monthsBetween } from './months';

export const INVITATION_OUTCOMES = ['accepted', 'declined', 'expired', 'withdrawn'] as const;
/**
 * `expired`: the volunteer let it ring out (ignored). `withdrawn`: it ended before they answered
 * because the call no longer needed them (another volunteer took it, the caller left); not theirs
 * to answer, so the ledger counts it apart from the three the programme reports.
 */
export type InvitationOutcome = (typeof INVITATION_OUTCOMES)[number];

export interface LedgerFacts {
  volunteers: readonly { id: string; name: string }[];
  /** One per call a volunteer joined as interpreter; `leftAt` null while still in it (clipped at `now`). */
  interpretations: readonly {
    volunteerId: string;
    language: string;
    joinedAt: number;
    leftAt: number | null;
  }[];
  invitations: readonly { volunteerId: string; at: number; outcome: InvitationOutcome }[];
  /** The volunteer's presence intervals; `end` null while open (clipped at `now`). */
  presence: readonly { accountId: string; state: string; start: number; end: number | null }[];
}

/** States in which a volunteer is giving their time: reachable or interpreting. */
const SERVING_STATES: ReadonlySet<string> = new Set(['available', 'invited', 'in-call']);

export interface LedgerRow {
  volunteerId: string;
  name: string;
  month: string;
  onlineMs: number;
  interpretingMs: number;
  calls: number;
  callsByLanguage: Record<string, number>;
  invitations: Record<InvitationOutcome, number>;
}

export interface LedgerQuery {
  firstMonth: string;
  lastMonth: string;
  timeZone: string;
  /** Open intervals end here. */
  now: number;
}

function overlap(start: number, end: number, from: number, to: number): number {
  return Math.max(0, Math.min(end, to) - Math.max(start, from));
}

/**
 * One row per volunteer and month in `[firstMonth, lastMonth]`, months in order, volunteers by name;
 * a volunteer with nothing in a month still gets the row (a sponsor asks about everyone registered).
 * Time that spans months is split at local midnight; a call counts in the month it was joined.
 */
export function volunteerLedger(facts: LedgerFacts, query: LedgerQuery): LedgerRow[] {
  const { timeZone, now } = query;
  const months = monthsBetween(query.firstMonth, query.lastMonth).map((month) => ({
    month,
    ...monthBounds(month, timeZone),
  }));
  const rows = new Map<string, LedgerRow>();
  const key = (volunteerId: string, month: string) => `${volunteerId}\u0000${month}`;
  const volunteers = [...facts.volunteers].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  for (const { month } of months) {
    for (const v of volunteers) {
      rows.set(key(v.id, month), {
        volunteerId: v.id,
        name: v.name,
        month,
        onlineMs: 0,
        interpretingMs: 0,
        calls: 0,
        callsByLanguage: {},
        invitations: { accepted: 0, declined: 0, expired: 0, withdrawn: 0 },
      });
    }
  }
  const spread = (
    volunteerId: string,
    start: number,
    end: number,
    add: (row: LedgerRow, ms: number) => void,
  ) => {
    for (const m of months) {
      const ms = overlap(start, end, m.from, m.to);
      const row = ms > 0 ? rows.get(key(volunteerId, m.month)) : undefined;
      if (row) add(row, ms);
    }
  };
  for (const p of facts.presence) {
    if (!SERVING_STATES.has(p.state)) continue;
    spread(p.accountId, p.start, p.end ?? now, (row, ms) => (row.onlineMs += ms));
  }
  for (const i of facts.interpretations) {
    spread(i.volunteerId, i.joinedAt, i.leftAt ?? now, (row, ms) => (row.interpretingMs += ms));
    const row = rows.get(key(i.volunteerId, monthOf(i.joinedAt, timeZone)));
    if (!row) continue;
    row.calls += 1;
    row.callsByLanguage[i.language] = (row.callsByLanguage[i.language] ?? 0) + 1;
  }
  for (const inv of facts.invitations) {
    const row = rows.get(key(inv.volunteerId, monthOf(inv.at, timeZone)));
    if (row) row.invitations[inv.outcome] += 1;
  }
  return [...rows.values()];
}
