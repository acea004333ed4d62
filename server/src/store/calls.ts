import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { CallMode } from '../../../common/protocol';
import { accountOf, type CallEvent } from './callEvents';
import { constraintViolation } from './dbErrors';
import { NotFoundError } from './errors';
import type { CallOutcome, CallRecordRow, CallRecordsTable, Database } from './schema';
import { RecordOp, recordOp, type RecordOpInput, recordWrites } from './recordOps';
import { Id, parseInput } from './validation';

/** Metadata about one call, for statistics and quality follow-up. Never any conversation content. */
export interface CallRecord {
  id: string;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  callerLanguage: string;
  mode: CallMode;
  agentId: string | null;
  interpreterId: string | null;
  outcome: CallOutcome | null;
  waitedMs: number | null;
  category: string | null;
  resolved: boolean | null;
  wrapNote: string | null;
  rating: number | null;
}

export interface WrapUp {
  category?: string | null;
  resolved: boolean;
  note?: string | null;
}

export interface CallRepository {
  /** @throws ValidationError */
  start(input: { callerLanguage: string; mode: CallMode }): Promise<{ id: string }>;
  /** @throws NotFoundError (call or agent account) */
  answered(id: string, input: { agentId: string }): Promise<void>;
  /** @throws NotFoundError (call or interpreter account) */
  interpreterJoined(id: string, interpreterId: string): Promise<void>;
  /**
   * Records how the call ended. The first report wins and later ones are ignored, because both
   * sides may hang up at the same moment. @throws ValidationError, NotFoundError
   */
  ended(id: string, input: { outcome: CallOutcome; waitedMs: number }): Promise<void>;
  /** @throws ValidationError, NotFoundError */
  wrapUp(id: string, input: WrapUp): Promise<void>;
  /**
   * Closes as `failed` every call still open that started before `before` (a process that crashed or
   * was killed left it so), each with an `ended` event by `system`. Its wait is known if it was
   * answered, else left empty. Returns how many.
   */
  closeLeftOpen(before: number): Promise<number>;
  /** Caller's 1–5 rating. @throws ValidationError, NotFoundError */
  rate(id: string, rating: number): Promise<void>;
  /** One event of the call's log (callEvents.ts). @throws ValidationError, NotFoundError (call) */
  event(id: string, event: CallEvent, at?: number): Promise<void>;
  /**
   * Applies one write given as data (what the record journal replays); the methods above are this
   * with a new op id and the store's clock. Applying the same op twice changes nothing.
   * @throws ValidationError, NotFoundError
   */
  apply(op: RecordOp): Promise<void>;
  get(id: string): Promise<CallRecord | null>;
  /** Newest first. `since` is inclusive (ms since epoch); `limit` defaults to 100, at most 1000. */
  list(options?: { since?: number; limit?: number }): Promise<CallRecord[]>;
  /**
   * Every call that arrived in [from, to) (ms since epoch), oldest first, without a limit: what a
   * history over weeks is computed from. @throws ValidationError
   */
  between(from: number, to: number): Promise<CallRecord[]>;
}

const ListOptions = z.object({
  since: z.int().min(0).optional(),
  limit: z.int().min(1).max(1000).default(100),
});

const Range = z
  .object({ from: z.int().min(0), to: z.int().min(0) })
  .refine(({ from, to }) => from <= to, { message: 'from must not be after to', path: ['from'] });

type CallUpdate = Partial<Omit<CallRecordsTable, 'id' | 'started_at' | 'caller_language' | 'mode'>>;

export function createCallRepository(db: Kysely<Database>, now: () => number): CallRepository {
  return {
    ...recordWrites(apply),
    apply: write,

    async closeLeftOpen(before) {
      const cutoff = parseInput(z.int().min(0), before, 'before');
      const endedAt = now();
      // One transaction: a call is closed together with its event, or neither.
      return db.transaction().execute(async (trx) => {
        const open = () =>
          trx.updateTable('call_records').where('ended_at', 'is', null).where('started_at', '<', cutoff);
        const ids = await trx
          .selectFrom('call_records')
          .select('id')
          .where('ended_at', 'is', null)
          .where('started_at', '<', cutoff)
          .execute();
        if (ids.length === 0) return 0;
        await open()
          .where('answered_at', 'is not', null)
          .set((eb) => ({
            ended_at: endedAt,
            outcome: 'failed',
            waited_ms: eb(eb.ref('answered_at'), '-', eb.ref('started_at')),
          }))
          .execute();
        await open().where('answered_at', 'is', null).set({ ended_at: endedAt, outcome: 'failed' }).execute();
        const ended: CallEvent = { type: 'ended', by: 'system', reason: 'crash' };
        await trx
          .insertInto('call_events')
          .values(
            ids.map(({ id }) => ({
              op_id: randomUUID(),
              call_id: id,
              at: endedAt,
              type: ended.type,
              account_id: null,
              data: JSON.stringify(ended),
            })),
          )
          .execute();
        return ids.length;
      });
    },

    async get(id) {
      const row = await db.selectFrom('call_records').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toCallRecord(row) : null;
    },

    async list(options = {}) {
      const { since, limit } = parseInput(ListOptions, options);
      let query = db
        .selectFrom('call_records')
        .selectAll()
        .orderBy('started_at', 'desc')
        .orderBy('id')
        .limit(limit);
      if (since !== undefined) query = query.where('started_at', '>=', since);
      return (await query.execute()).map(toCallRecord);
    },

    async between(from, to) {
      const range = parseInput(Range, { from, to });
      const rows = await db
        .selectFrom('call_records')
        .selectAll()
        .where('started_at', '>=', range.from)
        .where('started_at', '<', range.to)
        .orderBy('started_at')
        .orderBy('id')
        .execute();
      return rows.map(toCallRecord);
    },
  };

  async function apply(fields: RecordOpInput): Promise<void> {
    return write(recordOp(fields, randomUUID(), now()));
  }

  /**
   * Applies one op, idempotently: a replayed `start` finds its row and inserts nothing, an update
   * sets fields to the op's values (with the op's own time), and `ended` keeps the first report.
   */
  async function write(op: RecordOp): Promise<void> {
    const valid = parseInput(RecordOp, op);
    switch (valid.kind) {
      case 'start':
        await db
          .insertInto('call_records')
          .values({
            id: valid.id,
            started_at: valid.at,
            caller_language: valid.callerLanguage,
            mode: valid.mode,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        return;
      case 'answered':
        return updateCall(valid.id, { answered_at: valid.at, agent_id: valid.agentId }, valid.agentId);
      case 'interpreterJoined':
        return updateCall(valid.id, { interpreter_id: valid.interpreterId }, valid.interpreterId);
      case 'ended': {
        const result = await db
          .updateTable('call_records')
          .set({ ended_at: valid.at, outcome: valid.outcome, waited_ms: valid.waitedMs })
          .where('id', '=', valid.id)
          .where('ended_at', 'is', null)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n && !(await exists(valid.id)))
          throw new NotFoundError('call', valid.id);
        return;
      }
      case 'wrapUp':
        return updateCall(valid.id, {
          category: valid.category ?? null,
          resolved: valid.resolved ? 1 : 0,
          wrap_note: valid.note?.trim() || null,
        });
      case 'rate':
        return updateCall(valid.id, { rating: valid.rating });
      case 'presence':
        // Routed to the presence repository by recordTarget (presenceIntervals.ts), never here.
        throw new TypeError('a presence op is not a call record write');
      case 'event':
        return insertEvent(valid.opId, valid.id, valid.at, valid.event);
    }
  }

  /** Keyed by the op: the same op replayed inserts nothing. */
  async function insertEvent(opId: string, callId: string, at: number, event: CallEvent): Promise<void> {
    try {
      await db
        .insertInto('call_events')
        .values({
          op_id: opId,
          call_id: callId,
          at,
          type: event.type,
          account_id: accountOf(event),
          data: JSON.stringify(event),
        })
        .onConflict((oc) => oc.column('op_id').doNothing())
        .execute();
    } catch (error) {
      if (constraintViolation(error) === 'foreign-key') throw new NotFoundError('call', callId);
      throw error;
    }
  }

  async function exists(id: string): Promise<boolean> {
    return (
      (await db.selectFrom('call_records').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
    );
  }

  /** Updates one call; `accountId` names the account a foreign key points at, for the error message. */
  async function updateCall(id: string, values: CallUpdate, accountId?: string): Promise<void> {
    let result;
    try {
      result = await db
        .updateTable('call_records')
        .set(values)
        .where('id', '=', parseInput(Id, id, 'id'))
        .executeTakeFirst();
    } catch (error) {
      if (accountId !== undefined && constraintViolation(error) === 'foreign-key') {
        throw new NotFoundError('account', accountId);
      }
      throw error;
    }
    if (result.numUpdatedRows === 0n) throw new NotFoundError('call', id);
  }
}

export function toCallRecord(row: CallRecordRow): CallRecord {
  return {
    id: row.id,
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    callerLanguage: row.caller_language,
    mode: row.mode,
    agentId: row.agent_id,
    interpreterId: row.interpreter_id,
    outcome: row.outcome,
    waitedMs: row.waited_ms,
    category: row.category,
    resolved: row.resolved === null ? null : row.resolved === 1,
    wrapNote: row.wrap_note,
    rating: row.rating,
  };
}
