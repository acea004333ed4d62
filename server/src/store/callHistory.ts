/**
 * Reading the centre's history: the calls of a range with their event logs (what the figures are
 * computed from), and the supervisor's call list, page by page. Writes go through calls.ts only.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { CallMode } from '../../../common/protocol';
import { monthIn } from '../../../common/months';
import { CallEvent, type StoredCallEvent } from './callEvents';
import { type CallRecord, toCallRecord } from './calls';
import { CALL_OUTCOMES, type CallEventRow, type Database } from './schema';
import { Id, parseInput } from './validation';

import type { CallListItem } from '../../../common/figures';
export type { CallListItem };

const Ms = z.int().min(0);
export const CallListFilter = z.object({
  from: Ms,
  to: Ms,
  language: z.string().min(1).max(35).optional(),
  mode: z.enum(['video', 'text'] satisfies CallMode[]).optional(),
  outcome: z.enum(CALL_OUTCOMES).optional(),
  agentId: Id.optional(),
  limit: z.int().min(1).max(500).default(100),
  /** Only calls that started before this (the `next` of the page before). */
  before: Ms.optional(),
});
export type CallListFilter = z.input<typeof CallListFilter>;

export interface CallHistory {
  /** Calls that started in [from, to), oldest first, with every event of those calls (by time). */
  range(from: number, to: number): Promise<{ records: CallRecord[]; events: StoredCallEvent[] }>;
  /** Newest first; `next` is the `before` of the following page, null on the last one. */
  list(filter: CallListFilter): Promise<{ calls: CallListItem[]; next: number | null }>;
  /** Display names of these accounts (missing ones are left out). */
  names(ids: readonly string[]): Promise<Map<string, string>>;
  /**
   * For the volunteer ledger: invitations per volunteer and calendar month (`YYYY-MM` in
   * `timeZone`) of the events in [from, to): rung, accepted, declined, left to expire. The rest of
   * those rung were withdrawn (another volunteer was first, or the call no longer needed one).
   * Sorted by month, then volunteer id.
   */
  invitationCounts(range: { from: number; to: number; timeZone: string }): Promise<InvitationCount[]>;
  /**
   * The volunteer ledger's facts (ledger/volunteerLedger.ts `LedgerFacts`) from the event log:
   * each stay of an interpreter in a call that began in [from, to) (`leftAt` null while in it),
   * and each invitation rung in [from, to) with how it ended.
   */
  ledgerFacts(from: number, to: number): Promise<LedgerEventFacts>;
}

export interface LedgerEventFacts {
  interpretations: { volunteerId: string; language: string; joinedAt: number; leftAt: number | null }[];
  /** `withdrawn`: it ended before they answered (another volunteer was first, the call ended). */
  invitations: {
    volunteerId: string;
    at: number;
    outcome: 'accepted' | 'declined' | 'expired' | 'withdrawn';
  }[];
}

const INTERPRETER_EVENTS = [
  'interpreter-invited',
  'interpreter-joined',
  'interpreter-left',
  'invitation-declined',
  'invitation-expired',
] as const satisfies readonly CallEvent['type'][];

export interface InvitationCount {
  volunteerId: string;
  month: string;
  invited: number;
  accepted: number;
  declined: number;
  expired: number;
}

const INVITATION_EVENTS = {
  'interpreter-invited': 'invited',
  'interpreter-joined': 'accepted',
  'invitation-declined': 'declined',
  'invitation-expired': 'expired',
} as const satisfies Partial<Record<CallEvent['type'], keyof InvitationCount>>;

export function createCallHistory(db: Kysely<Database>): CallHistory {
  return {
    async range(from, to) {
      const [start, end] = [parseInput(Ms, from, 'from'), parseInput(Ms, to, 'to')];
      const rows = await db
        .selectFrom('call_records')
        .selectAll()
        .where('started_at', '>=', start)
        .where('started_at', '<', end)
        .orderBy('started_at')
        .orderBy('id')
        .execute();
      const eventRows = await db
        .selectFrom('call_events')
        .innerJoin('call_records', 'call_records.id', 'call_events.call_id')
        .selectAll('call_events')
        .where('call_records.started_at', '>=', start)
        .where('call_records.started_at', '<', end)
        .orderBy('call_events.at')
        .execute();
      return { records: rows.map(toCallRecord), events: eventRows.flatMap(toStoredEvent) };
    },

    async list(filter) {
      const f = parseInput(CallListFilter, filter);
      let query = db
        .selectFrom('call_records as c')
        .leftJoin('accounts as agent', 'agent.id', 'c.agent_id')
        .leftJoin('accounts as interpreter', 'interpreter.id', 'c.interpreter_id')
        .selectAll('c')
        .select(['agent.display_name as agent_name', 'interpreter.display_name as interpreter_name'])
        .where('c.started_at', '>=', f.from)
        .where('c.started_at', '<', f.before === undefined ? f.to : Math.min(f.to, f.before))
        .orderBy('c.started_at', 'desc')
        .orderBy('c.id')
        .limit(f.limit);
      if (f.language !== undefined) query = query.where('c.caller_language', '=', f.language);
      if (f.mode !== undefined) query = query.where('c.mode', '=', f.mode);
      if (f.outcome !== undefined) query = query.where('c.outcome', '=', f.outcome);
      if (f.agentId !== undefined) query = query.where('c.agent_id', '=', f.agentId);
      const rows = await query.execute();
      const queued = new Map<string, Extract<CallEvent, { type: 'queued' }>>();
      if (rows.length > 0) {
        const events = await db
          .selectFrom('call_events')
          .selectAll()
          .where('type', '=', 'queued')
          .where(
            'call_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('at')
          .execute();
        for (const e of events.flatMap(toStoredEvent))
          if (e.type === 'queued' && !queued.has(e.callId)) queued.set(e.callId, e);
      }
      const calls = rows.map((row): CallListItem => {
        const record = toCallRecord(row);
        const arrival = queued.get(row.id);
        return {
          id: record.id,
          startedAt: record.startedAt,
          answeredAt: record.answeredAt,
          endedAt: record.endedAt,
          callerLanguage: record.callerLanguage,
          mode: record.mode,
          shift: arrival?.shift ?? null,
          agentId: record.agentId,
          agentName: row.agent_name,
          interpreterId: record.interpreterId,
          interpreterName: row.interpreter_name,
          outcome: record.outcome,
          waitedMs: record.waitedMs,
          shownEstimateMs: arrival?.estimateMs ?? null,
          resolved: record.resolved,
          category: record.category,
          rating: record.rating,
        };
      });
      const last = calls[calls.length - 1];
      return { calls, next: calls.length === f.limit && last ? last.startedAt : null };
    },

    async names(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('accounts')
        .select(['id', 'display_name'])
        .where('id', 'in', [...ids])
        .execute();
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },

    async invitationCounts({ from, to, timeZone }) {
      const [start, end] = [parseInput(Ms, from, 'from'), parseInput(Ms, to, 'to')];
      const month = monthIn(timeZone);
      const rows = await db
        .selectFrom('call_events')
        .select(['account_id', 'at', 'type'])
        .where('at', '>=', start)
        .where('at', '<', end)
        .where('account_id', 'is not', null)
        .where('type', 'in', Object.keys(INVITATION_EVENTS))
        .execute();
      const counts = new Map<string, InvitationCount>();
      for (const row of rows) {
        const field = INVITATION_EVENTS[row.type as keyof typeof INVITATION_EVENTS];
        const volunteerId = row.account_id!;
        const key = `${month(row.at)} ${volunteerId}`;
        let count = counts.get(key);
        if (!count) {
          count = { volunteerId, month: month(row.at), invited: 0, accepted: 0, declined: 0, expired: 0 };
          counts.set(key, count);
        }
        count[field]++;
      }
      return [...counts.keys()].sort().map((key) => counts.get(key)!);
    },

    async ledgerFacts(from, to) {
      const [start, end] = [parseInput(Ms, from, 'from'), parseInput(Ms, to, 'to')];
      // Every interpreter event of the calls that had one in the range: a stay or an invitation
      // that began in it may end after it.
      const rows = await db
        .selectFrom('call_events as e')
        .innerJoin('call_records as c', 'c.id', 'e.call_id')
        .selectAll('e')
        .select('c.caller_language')
        .where('e.type', 'in', INTERPRETER_EVENTS)
        .where(
          'e.call_id',
          'in',
          db
            .selectFrom('call_events')
            .select('call_id')
            .where('at', '>=', start)
            .where('at', '<', end)
            .where('type', 'in', INTERPRETER_EVENTS),
        )
        .orderBy('e.at')
        .execute();
      const byCall = new Map<string, { language: string; events: StoredCallEvent[] }>();
      for (const row of rows) {
        const call = byCall.get(row.call_id) ?? { language: row.caller_language, events: [] };
        call.events.push(...toStoredEvent(row));
        byCall.set(row.call_id, call);
      }
      const facts: LedgerEventFacts = { interpretations: [], invitations: [] };
      const inRange = (at: number) => at >= start && at < end;
      for (const { language, events } of byCall.values()) {
        const call = interpreterFacts(language, events);
        facts.interpretations.push(...call.interpretations.filter((i) => inRange(i.joinedAt)));
        facts.invitations.push(...call.invitations.filter((i) => inRange(i.at)));
      }
      const byVolunteer = (a: { volunteerId: string }, b: { volunteerId: string }) =>
        a.volunteerId < b.volunteerId ? -1 : a.volunteerId > b.volunteerId ? 1 : 0;
      facts.interpretations.sort((a, b) => a.joinedAt - b.joinedAt || byVolunteer(a, b));
      facts.invitations.sort((a, b) => a.at - b.at || byVolunteer(a, b));
      return facts;
    },
  };
}

/**
 * One call's interpreter events (by time) as stays and invitation outcomes. A declined or expired
 * invitation names itself; an accepted one is the volunteer's next join of that call after it.
 */
function interpreterFacts(language: string, unsorted: readonly StoredCallEvent[]): LedgerEventFacts {
  // Events of one instant in the order they must have happened: rung, then joined, then left.
  const rank = (e: StoredCallEvent) => (INTERPRETER_EVENTS as readonly string[]).indexOf(e.type);
  const events = [...unsorted].sort((a, b) => a.at - b.at || rank(a) - rank(b));
  const facts: LedgerEventFacts = { interpretations: [], invitations: [] };
  const ended = new Map<string, 'declined' | 'expired'>();
  for (const e of events)
    if (e.type === 'invitation-declined' || e.type === 'invitation-expired')
      ended.set(e.invitationId, e.type === 'invitation-declined' ? 'declined' : 'expired');
  /** Per volunteer, invitations not yet answered, oldest first. */
  const open = new Map<
    string,
    Array<{ at: number; outcome: LedgerEventFacts['invitations'][number]['outcome'] }>
  >();
  const staying = new Map<
    string,
    { volunteerId: string; language: string; joinedAt: number; leftAt: number | null }
  >();
  for (const e of events) {
    if (e.type === 'interpreter-invited') {
      const invitation = { at: e.at, outcome: ended.get(e.invitationId) ?? ('withdrawn' as const) };
      facts.invitations.push({ volunteerId: e.volunteerId, ...invitation });
      if (!ended.has(e.invitationId)) {
        const list = open.get(e.volunteerId) ?? [];
        list.push(facts.invitations[facts.invitations.length - 1]!);
        open.set(e.volunteerId, list);
      }
    } else if (e.type === 'interpreter-joined') {
      const answered = open.get(e.volunteerId)?.shift();
      if (answered) answered.outcome = 'accepted';
      const stay = { volunteerId: e.volunteerId, language, joinedAt: e.at, leftAt: null };
      staying.set(e.volunteerId, stay);
      facts.interpretations.push(stay);
    } else if (e.type === 'interpreter-left') {
      const stay = staying.get(e.volunteerId);
      if (stay && stay.leftAt === null) stay.leftAt = e.at;
      staying.delete(e.volunteerId);
    }
  }
  return facts;
}

/** A stored row as its event; a row this version cannot read (a newer type) is left out. */
function toStoredEvent(row: CallEventRow): StoredCallEvent[] {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    return [];
  }
  const parsed = CallEvent.safeParse(data);
  return parsed.success ? [{ ...parsed.data, callId: row.call_id, at: row.at }] : [];
}
