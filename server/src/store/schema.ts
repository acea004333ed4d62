/**
 * Kysely's view of the tables. Timestamps are milliseconds since the Unix epoch (the store's clock):
 * INTEGER on SQLite, BIGINT on PostgreSQL, read back as numbers on both.
 */
import type { Generated, Selectable } from 'kysely';
import type { CallMode } from '../../../common/protocol';

export const ACCOUNT_ROLES = ['agent', 'supervisor', 'volunteer'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

import { CALL_OUTCOMES, type CallOutcome } from '../../../common/figures';
export { CALL_OUTCOMES, type CallOutcome };

/**
 * Flags are integers 0 or 1 on both engines (kept so by CHECKs): SQLite has no boolean type, and one
 * representation keeps the queries and these types the same on PostgreSQL.
 */
export type IntBool = 0 | 1;

export interface AccountsTable {
  id: string;
  username: string;
  display_name: string;
  role: AccountRole;
  /** JSON array of canonical BCP-47 tags. */
  languages: string;
  password_hash: string;
  approved: Generated<IntBool>;
  created_at: number;
  disabled: Generated<IntBool>;
  /** Bumped whenever the account's sign-ins must end; a session of an older generation is void. */
  session_generation: Generated<number>;
  /** The agent's shift (a name in the SHIFTS calendar), or null. */
  shift: string | null;
}

/** Metadata about a call only: no media, transcript or message content is ever stored. */
export interface CallRecordsTable {
  id: string;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  caller_language: string;
  mode: CallMode;
  agent_id: string | null;
  interpreter_id: string | null;
  outcome: CallOutcome | null;
  waited_ms: number | null;
  category: string | null;
  resolved: IntBool | null;
  wrap_note: string | null;
  rating: number | null;
}

/** A volunteer interpreter's own profile, one row per volunteer account. */
export interface VolunteerProfilesTable {
  account_id: string;
  /** JSON array of `{ tag, level }`; the account's `languages` column holds the same tags. */
  languages: string;
  /** JSON array of `{ day, start, end }` in Asia/Seoul. */
  weekly_hours: string;
  /** IANA time zone the volunteer lives in, for showing their hours. */
  time_zone: string;
  /** E-mail or phone: personal data, only for the volunteer and supervisors. */
  contact: string | null;
  updated_at: number;
}

/** One event of a call (store/callEvents.ts): metadata only, keyed by the write that made it. */
export interface CallEventsTable {
  op_id: string;
  call_id: string;
  at: number;
  type: string;
  /** The agent or volunteer the event names, if any. */
  account_id: string | null;
  /** The event's own fields, JSON. */
  data: string;
}

/** One stretch of one state of a member of staff; `ended_at` null while it lasts. */
export interface PresenceIntervalsTable {
  id: string;
  account_id: string;
  role: 'agent' | 'volunteer';
  state: string;
  /** Why, when away: a reason from common/presence.ts; null otherwise. */
  reason: string | null;
  started_at: number;
  ended_at: number | null;
}

export interface Database {
  accounts: AccountsTable;
  call_records: CallRecordsTable;
  call_events: CallEventsTable;
  volunteer_profiles: VolunteerProfilesTable;
  presence_intervals: PresenceIntervalsTable;
}

export type AccountRow = Selectable<AccountsTable>;
export type CallRecordRow = Selectable<CallRecordsTable>;
export type CallEventRow = Selectable<CallEventsTable>;
export type VolunteerProfileRow = Selectable<VolunteerProfilesTable>;
export type PresenceIntervalRow = Selectable<PresenceIntervalsTable>;
