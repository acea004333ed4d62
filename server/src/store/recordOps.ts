/**
 * One write to a call record, as data: what the buffered writer journals while the database is out
 * of reach and replays when it is back. Each carries its own time (`at`), so a replay writes the
 * moment it happened, not the moment of the replay, and an id of its own for the logs.
 */
import { z } from 'zod';
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
]);
export type RecordOp = z.output<typeof RecordOp>;
export type RecordOpKind = RecordOp['kind'];

/** Distributes over the union: each kind's own fields, without the ones every op has. */
type Fields<T> = T extends unknown ? Omit<T, 'opId' | 'at'> : never;
type Strict = Fields<z.input<typeof RecordOp>>;
/** As the callers have it: a wrap-up's category is any string until it is checked here. */
export type RecordOpInput =
  | Exclude<Strict, { kind: 'wrapUp' }>
  | (Omit<Extract<Strict, { kind: 'wrapUp' }>, 'category'> & { category?: string | null | undefined });

/** A validated op. @throws ValidationError, as the repository's own methods do */
export function recordOp(fields: RecordOpInput, opId: string, at: number): RecordOp {
  return parseInput(RecordOp, { ...fields, opId, at });
}
