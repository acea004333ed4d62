/**
 * Staff presence over time: each change of an agent's or volunteer's state closes their open
 * interval and opens the next (none for 'offline'). Applied as ops (presenceOps.ts), idempotently,
 * so the record journal may replay them; read back as totals per account, state and reason.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { AwayReason } from '../../../common/presence';
import { NotFoundError } from './errors';
import { constraintViolation } from './dbErrors';
import type { CallRepository } from './calls';
import { type PresenceWrites, presenceWrites, type StaffRole, type StaffState } from './presenceOps';
import { type PresenceOp, RecordOp, recordOp } from './recordOps';
import type { Database } from './schema';
import { parseInput } from './validation';

/** One stretch of one state, as read back (with the account's display name). */
export interface PresenceInterval {
  accountId: string;
  name: string;
  role: StaffRole;
  state: StaffState | string;
  reason: AwayReason | string | null;
  start: number;
  /** null while it lasts. */
  end: number | null;
}

/** Intervals wholly inside a range, summed per account, state and reason. */
export interface PresenceTotal {
  accountId: string;
  name: string;
  role: StaffRole;
  state: string;
  reason: string | null;
  ms: number;
  intervals: number;
}

export interface PresenceRepository extends PresenceWrites {
  /** Applies one presence op; applying it again changes nothing. @throws ValidationError, NotFoundError */
  apply(op: PresenceOp): Promise<void>;
  /**
   * What a range needs, cheaply: `inside`, the intervals that lie wholly in [from, to], summed in the
   * database; `edges`, the few that cross an end of it or are still open, whole (to be clipped).
   */
  overlapping(from: number, to: number): Promise<{ inside: PresenceTotal[]; edges: PresenceInterval[] }>;
  /**
   * Closes every interval a crashed process left open, at the last activity it is known to have had:
   * the latest start or end of any interval, or arrival or answer of any call (never earlier than the
   * interval's own start). Run at start in one process, before open calls are swept (which writes
   * their ends now). Returns how many were closed and at when.
   */
  closeLeftOpen(): Promise<{ closed: number; at: number | null }>;
}

const Range = z
  .object({ from: z.int().min(0), to: z.int().min(0) })
  .refine((r) => r.from < r.to, { message: 'from must be before to', path: ['from'] });

export function createPresenceRepository(db: Kysely<Database>): PresenceRepository {
  return {
    ...presenceWrites((fields, at) => apply(recordOp(fields, randomUUID(), at) as PresenceOp)),
    apply,

    async overlapping(from, to) {
      const range = parseInput(Range, { from, to });
      const inside = await db
        .selectFrom('presence_intervals as p')
        .innerJoin('accounts as a', 'a.id', 'p.account_id')
        .select((eb) => [
          'p.account_id as accountId',
          'a.display_name as name',
          'p.role as role',
          'p.state as state',
          'p.reason as reason',
          sql<number>`cast(sum(${eb.ref('p.ended_at')} - ${eb.ref('p.started_at')}) as bigint)`.as('ms'),
          sql<number>`cast(count(*) as bigint)`.as('intervals'),
        ])
        .where('p.started_at', '>=', range.from)
        .where('p.ended_at', 'is not', null)
        .where('p.ended_at', '<=', range.to)
        .whereRef('p.ended_at', '>', 'p.started_at')
        .groupBy(['p.account_id', 'a.display_name', 'p.role', 'p.state', 'p.reason'])
        .execute();
      const edges = await db
        .selectFrom('presence_intervals as p')
        .innerJoin('accounts as a', 'a.id', 'p.account_id')
        .select([
          'p.account_id as accountId',
          'a.display_name as name',
          'p.role as role',
          'p.state as state',
          'p.reason as reason',
          'p.started_at as start',
          'p.ended_at as end',
        ])
        .where('p.started_at', '<', range.to)
        // Overlapping the range, and not wholly inside it (those are summed above).
        .where((eb) =>
          eb.or([
            eb('p.ended_at', 'is', null),
            eb.and([
              eb('p.ended_at', '>', range.from),
              eb.or([eb('p.started_at', '<', range.from), eb('p.ended_at', '>', range.to)]),
            ]),
          ]),
        )
        .orderBy('p.started_at')
        .execute();
      return {
        inside: inside.map((r) => ({ ...r, ms: Number(r.ms), intervals: Number(r.intervals) })),
        edges,
      };
    },

    async closeLeftOpen() {
      const presence = await db
        .selectFrom('presence_intervals')
        .select((eb) => [eb.fn.max('started_at').as('started'), eb.fn.max('ended_at').as('ended')])
        .executeTakeFirst();
      const calls = await db
        .selectFrom('call_records')
        .select((eb) => [eb.fn.max('started_at').as('started'), eb.fn.max('answered_at').as('answered')])
        .executeTakeFirst();
      const known = [presence?.started, presence?.ended, calls?.started, calls?.answered]
        .filter((v) => v !== null && v !== undefined)
        .map(Number);
      if (known.length === 0) return { closed: 0, at: null };
      const at = Math.max(...known);
      // `at` is at least every interval's start (it counts them all): no interval ends before it began.
      const result = await db
        .updateTable('presence_intervals')
        .set({ ended_at: at })
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      return { closed: Number(result.numUpdatedRows), at };
    },
  };

  /**
   * The change closes the account's open interval and opens the next, unless the interval covering
   * its moment already has its state and reason (a repeat, or the replay of a change that was one).
   * A replayed change finds its own row (by op id) and does nothing. A change older than the
   * account's latest (a replay after later ones) closes nothing that started after it, and the row it
   * opens ends where the next one starts.
   */
  async function apply(op: PresenceOp): Promise<void> {
    const valid = parseInput(RecordOp, op);
    if (valid.kind !== 'presence') throw new TypeError('not a presence op');
    try {
      await db.transaction().execute(async (trx) => {
        const mine = await trx
          .selectFrom('presence_intervals')
          .select('id')
          .where('id', '=', valid.opId)
          .executeTakeFirst();
        if (mine) return;
        const covering = await trx
          .selectFrom('presence_intervals')
          .select(['state', 'reason'])
          .where('account_id', '=', valid.id)
          .where('started_at', '<=', valid.at)
          .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', valid.at)]))
          .orderBy('started_at', 'desc')
          .executeTakeFirst();
        if (covering && covering.state === valid.state && covering.reason === valid.reason) return;
        await trx
          .updateTable('presence_intervals')
          .set({ ended_at: valid.at })
          .where('account_id', '=', valid.id)
          .where('ended_at', 'is', null)
          .where('started_at', '<=', valid.at)
          .execute();
        if (valid.state === 'offline') return;
        const next = await trx
          .selectFrom('presence_intervals')
          .select((eb) => eb.fn.min('started_at').as('start'))
          .where('account_id', '=', valid.id)
          .where('started_at', '>', valid.at)
          .executeTakeFirst();
        await trx
          .insertInto('presence_intervals')
          .values({
            id: valid.opId,
            account_id: valid.id,
            role: valid.role,
            state: valid.state,
            reason: valid.reason,
            started_at: valid.at,
            ended_at: next?.start == null ? null : Number(next.start),
          })
          .execute();
      });
    } catch (error) {
      if (constraintViolation(error) === 'foreign-key') throw new NotFoundError('account', valid.id);
      throw error;
    }
  }
}

/**
 * Where the record journal's ops go: presence ops to the presence repository, the rest to the call
 * records (what BufferedCallRecords and a direct write share).
 */
export function recordTarget(
  calls: Pick<CallRepository, 'apply'>,
  presence: Pick<PresenceRepository, 'apply'>,
): Pick<CallRepository, 'apply'> {
  return { apply: (op: RecordOp) => (op.kind === 'presence' ? presence.apply(op) : calls.apply(op)) };
}
