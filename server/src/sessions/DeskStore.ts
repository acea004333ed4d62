import type { CallMode, InterpreterStatus, Role } from '../../../common/protocol';
import type { WeeklyHours } from '../lobby';

/**
 * What the desks know that the lobby does not (callers' line entries, wrap-ups owed, open
 * surveys, staff identities, live calls), written where the next leader of a cluster can read it
 * when it takes over. The lobby itself is replicated by its command log; this is the rest. In one
 * process there is no next leader: no store at all.
 */

export interface StoredCaller {
  callerId: string;
  recordId: string;
  language: string;
  mode: CallMode;
  joinedAt: number;
  resumeKey: string;
  callback: boolean;
  /** Their join token once an agent answered, until the call ends. */
  token: string | null;
}

export interface StoredStaff {
  kind: 'agent' | 'volunteer';
  id: string;
  displayName: string;
  languages: string[];
  weeklyHours?: WeeklyHours[];
}

export interface StoredParticipant {
  participantId: string;
  role: Role;
  accountId: string | null;
  displayName: string | null;
  tokenHash: string;
  hasJoined: boolean;
}

export interface StoredCall {
  sessionId: string;
  matchId: string;
  recordId: string;
  language: string;
  mode: CallMode;
  startedAt: number;
  /** The router's id on its host (a moved call's differs from its match id) and the host. */
  mediaCallId: string;
  hostNodeId: string;
  agentId: string;
  callerId: string;
  waitedMs: number;
  interpreter: InterpreterStatus;
  participants: StoredParticipant[];
}

export interface StoredSurvey {
  key: string;
  recordId: string;
  expiresAt: number;
}

export interface DeskSnapshot {
  callers: StoredCaller[];
  /** Agent id → the record they must wrap up. */
  wrapUps: Array<{ agentId: string; recordId: string }>;
  surveys: StoredSurvey[];
  staff: StoredStaff[];
  calls: StoredCall[];
}

export type DeskWrite =
  | { kind: 'caller'; id: string; value: StoredCaller | null }
  | { kind: 'wrapup'; id: string; value: { agentId: string; recordId: string } | null }
  | { kind: 'survey'; id: string; value: StoredSurvey | null }
  | { kind: 'staff'; id: string; value: StoredStaff | null }
  | { kind: 'call'; id: string; value: StoredCall | null };

export interface DeskStore {
  /** Records a change (null: gone). Writes land in the order given; a failure is logged, not thrown. */
  write(change: DeskWrite): void;
  /** Everything, as the last writes left it. */
  load(): Promise<DeskSnapshot>;
  /** Resolves once every write given so far has landed (or failed). */
  flushed(): Promise<void>;
}

export const EMPTY_DESKS: DeskSnapshot = { callers: [], wrapUps: [], surveys: [], staff: [], calls: [] };
