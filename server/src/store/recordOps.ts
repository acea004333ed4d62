/**
 * One write to a call record, as data: what the buffered writer journals while the database is out
 * of reach and replays when it is back. Each carries its own time (`at`), so a replay writes the
 * moment it happened, not the moment of the replay, and an id of its own for the logs.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CallMode } from '../../../common/protocol';
import { CallEvent } from './callEvents';
import { PresenceOpShape } from './presenceOps';
import { CallEndInput, CallStartInput, Id, parseInput, Rating, WrapUpInput } from './validation';

const Base = z.object({ opId: Id, at: z.int().min(0), id: Id });

export const RecordOp = z.discriminatedUnion('kind', [
  Base.extend({ kind: z.literal('start'), ...CallStartInput.shape }),
  Base.extend({ kind: z.literal('answered'), agentId: Id }),
  Base.extend({ kind: z.literal('interpreterJoined'), interpreterId: Id }),
  Base.extend({ kind: z.literal('ended'), ...CallEndInput.shape }),
  Base.extend({
    kind: z.literal('wrapUp'),
    category: WrapUpInput.shape.category.optional(),
    resolved: z.boolean(),
    note: WrapUpInput.shape.note.optional(),
  }),
  Base.extend({ kind: z.literal('rate'), rating: Rating }),
  // One entry of the call's event log (callEvents.ts): the same path, journal and replay as the rest.
  Base.extend({ kind: z.literal('event'), event: CallEvent }),
  // Not a call's: a member of staff's presence change (`id` is their account), see presenceOps.ts.
  Base.extend({ kind: z.literal('presence'), ...PresenceOpShape }),
]);
/** The ops of call records alone (what CallRepository applies). */
export type CallRecordOp = Exclude<RecordOp, { kind: 'presence' }>;
export type PresenceOp = Extract<RecordOp, { kind: 'presence' }>;
export type RecordOp = z.output<typeof RecordOp>;

/** Distributes over the union: each kind's own fields, without the ones every op has. */
type Fields<T> = T extends unknown ? Omit<T, 'opId' | 'at'> : never;
type Strict = Fields<z.input<typeof RecordOp>>;
/** As the callers have it: a wrap-up's category is any string until it is checked here. */
export type RecordOpInput =
  | Exclude<Strict, { kind: 'wrapUp' | 'event' }>
  | (Omit<Extract<Strict, { kind: 'wrapUp' }>, 'category'> & { category?: string | null | undefined })
  // An event may carry the moment it happened, when it is written a little later than that.
  | (Extract<Strict, { kind: 'event' }> & { at?: number | undefined });

/** A validated op. @throws ValidationError, as the repository's own methods do */
export function recordOp(fields: RecordOpInput, opId: string, at: number): RecordOp {
  return parseInput(RecordOp, { at, ...fields, opId });
}

/** The call-record writes, as the call centre makes them (sessions/ports.ts `CallRecords`). */
export interface CallRecordWrites {
  start(input: { callerLanguage: string; mode: CallMode }): Promise<{ id: string }>;
  answered(id: string, input: { agentId: string }): Promise<void>;
  interpreterJoined(id: string, interpreterId: string): Promise<void>;
  ended(
    id: string,
    input: { outcome: 'completed' | 'abandoned' | 'failed'; waitedMs: number },
  ): Promise<void>;
  wrapUp(
    id: string,
    input: { category?: string | null; resolved: boolean; note?: string | null },
  ): Promise<void>;
  rate(id: string, rating: number): Promise<void>;
  /**
   * Appends one event to the call's log, at `at` (default: now); the same op applied twice writes
   * it once.
   */
  event(id: string, event: CallEvent, at?: number): Promise<void>;
}

/**
 * Each write as the op it is, handed to `submit`. The record id is made here, in the app, so a
 * `start` needs nothing back from the database.
 */
export function recordWrites(submit: (fields: RecordOpInput) => Promise<void>): CallRecordWrites {
  return {
    async start({ callerLanguage, mode }) {
      const id = randomUUID();
      await submit({ kind: 'start', id, callerLanguage, mode });
      return { id };
    },
    answered: (id, { agentId }) => submit({ kind: 'answered', id, agentId }),
    interpreterJoined: (id, interpreterId) => submit({ kind: 'interpreterJoined', id, interpreterId }),
    ended: (id, { outcome, waitedMs }) => submit({ kind: 'ended', id, outcome, waitedMs }),
    wrapUp: (id, { category, resolved, note }) => submit({ kind: 'wrapUp', id, category, resolved, note }),
    rate: (id, rating) => submit({ kind: 'rate', id, rating }),
    event: (id, event, at) => submit({ kind: 'event', id, event, ...(at !== undefined && { at }) }),
  };
}
