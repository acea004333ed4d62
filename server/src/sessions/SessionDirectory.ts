import { createHash } from 'node:crypto';
import type { CallMode, Role } from '../../../common/protocol';
import type { Session } from './Session';

/** A join token as the directory keeps it: a hash, so that reading the directory joins no call. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface DirectoryParticipant {
  participantId: string;
  role: Role;
  /** The staff account the participant's token is bound to (null for the caller): see joinBinding.ts. */
  accountId: string | null;
  tokenHash: string;
}

/** One live call as every node may read it: where its media is, and who may join it. */
export interface DirectoryEntry {
  sessionId: string;
  matchId: string;
  hostNodeId: string;
  language: string;
  mode: CallMode;
  startedAt: number;
  participants: DirectoryParticipant[];
}

/** A participant found by their join token, with what the token is bound to (check with `requireBinding`). */
export interface DirectorySeat {
  sessionId: string;
  participantId: string;
  role: Role;
  accountId: string | null;
  hostNodeId: string;
}

/**
 * The live calls, kept where every node of a cluster can read them. Written by the node that
 * controls the calls, in the order the calls changed.
 */
export interface SessionDirectory {
  /** The call as it is now (its participants replace the last ones written). */
  put(entry: DirectoryEntry): Promise<void>;
  /** A participant was taken out of the call: their token stops being found. */
  forget(tokenHash: string): Promise<void>;
  /** The call is over. */
  remove(entry: DirectoryEntry): Promise<void>;
  get(sessionId: string): Promise<DirectoryEntry | null>;
  authorize(token: string): Promise<DirectorySeat | null>;
}

export function directoryEntry(session: Session): DirectoryEntry {
  return {
    sessionId: session.id,
    matchId: session.matchId,
    hostNodeId: session.media.hostNodeId,
    language: session.language,
    mode: session.mode,
    startedAt: session.startedAt,
    participants: session.participants.map((p) => ({
      participantId: p.participantId,
      role: p.role,
      accountId: p.accountId,
      tokenHash: p.tokenHash,
    })),
  };
}
