/**
 * A change of a member of staff's presence, as a write: what the presence recorder hands to the
 * store, through the same buffered, journalled path as call records (recordOps.ts holds it as the
 * `presence` op). The op's `id` is the account's, so one account's changes reach the database in
 * order; its `opId` becomes the id of the interval it opens.
 */
import { z } from 'zod';
import { ALL_AWAY_REASONS, type AwayReason } from '../../../common/presence';

/** Every state a member of staff can be in: the lobby's agent and volunteer presences. */
export const STAFF_STATES = [
  'offline',
  'available',
  'offered',
  'invited',
  'in-call',
  'wrap-up',
  'away',
] as const;
export type StaffState = (typeof STAFF_STATES)[number];
export const STAFF_ROLES = ['agent', 'volunteer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The op's own fields (beside `kind`, `id`, `opId` and `at`). */
export const PresenceOpShape = {
  role: z.enum(STAFF_ROLES),
  state: z.enum(STAFF_STATES),
  reason: z.enum(ALL_AWAY_REASONS as [AwayReason, ...AwayReason[]]).nullable(),
};

export interface PresenceChange {
  accountId: string;
  role: StaffRole;
  state: StaffState;
  /** Only with 'away' (and there it may still be null: away without a reason given). */
  reason: AwayReason | null;
}

/** The presence writes, as the recorder makes them; `at` is the moment of the change. */
export interface PresenceWrites {
  presenceChanged(change: PresenceChange, at: number): Promise<void>;
}

/** Fields of a presence op, as `submit` takes them. */
export interface PresenceOpFields {
  kind: 'presence';
  id: string;
  role: StaffRole;
  state: StaffState;
  reason: AwayReason | null;
}

export function presenceWrites(
  submit: (fields: PresenceOpFields, at: number) => Promise<void>,
): PresenceWrites {
  return {
    presenceChanged: ({ accountId, role, state, reason }, at) =>
      // A reason belongs to being away: anything else is written without one.
      submit({ kind: 'presence', id: accountId, role, state, reason: state === 'away' ? reason : null }, at),
  };
}
