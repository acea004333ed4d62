import type { CallMode } from '../../../common/protocol';
import type { Logger } from '../logger';
import type { MediaPlacement } from '../media';
import type { Scheduler } from '../util/scheduler';
import { type CallAnswer, type Participant, Session } from './Session';
import type { DeskStore, StoredCall } from './DeskStore';
import { directoryEntry, type SessionDirectory, tokenHash } from './SessionDirectory';

export interface SessionRegistryDeps {
  /** Where a new call's media goes: this node's workers, or the least-loaded node of the cluster. */
  media: MediaPlacement;
  scheduler: Scheduler;
  log: Logger;
  /** Where other nodes of a cluster read the live calls (none in the embedded default). */
  directory?: SessionDirectory;
  /** Where the next leader of a cluster finds the live calls to take over (none in one process). */
  desk?: DeskStore;
}

/** Opens sessions; finds live ones by id or lobby match, and participants by their join token. */
export class SessionRegistry {
  readonly #sessions = new Map<string, Session>();
  readonly #byMatch = new Map<string, Session>();
  /** By the token's hash: a call taken over from another leader knows its tokens only so. */
  readonly #byToken = new Map<string, { session: Session; participant: Participant }>();
  readonly #opening = new Map<string, Promise<Session>>();
  /** Directory writes, one after another: the directory sees the calls change in their order. */
  #written: Promise<void> = Promise.resolve();

  constructor(private readonly deps: SessionRegistryDeps) {}

  /**
   * A new call on its own router (where the placement puts it), tracked until it ends. It is findable
   * by `opening(matchId)` from the first instant: the lobby's invitations for it are already out.
   */
  open(call: {
    matchId: string;
    recordId: Promise<string>;
    language: string;
    mode: CallMode;
    answer: CallAnswer;
  }): Promise<Session> {
    const opening = (async () => {
      const recordId = await call.recordId;
      const media = await this.deps.media.open(call.matchId);
      const session = new Session(
        call.matchId,
        recordId,
        call.language,
        call.mode,
        media,
        call.answer,
        this.deps.scheduler.now(),
        this.deps.log.child({ matchId: call.matchId }),
      );
      this.add(session);
      // Tokens go out once the call is open: by then any node can find them.
      await this.#written;
      return session;
    })();
    this.#opening.set(call.matchId, opening);
    const done = () => this.#opening.delete(call.matchId);
    opening.then(done, done);
    return opening;
  }

  /** The session of a match, once it is open (undefined if it never opens or has ended). */
  async opening(matchId: string): Promise<Session | undefined> {
    const pending = this.#opening.get(matchId);
    if (!pending) return this.#byMatch.get(matchId);
    return pending.catch(() => undefined);
  }

  /** Tracks the session, and its participants as they are added or removed, until it ends. */
  add(session: Session): void {
    this.#sessions.set(session.id, session);
    this.#byMatch.set(session.matchId, session);
    for (const p of session.participants) this.#byToken.set(p.tokenHash, { session, participant: p });
    this.#publish((d) => d.put(directoryEntry(session)));
    const save = () => this.deps.desk?.write({ kind: 'call', id: session.id, value: storedCall(session) });
    save();
    session.on('participant-added', (p) => {
      this.#byToken.set(p.tokenHash, { session, participant: p });
      this.#publish((d) => d.put(directoryEntry(session)));
      save();
    });
    // A call moved to another node's media keeps its directory entry true to where it is.
    session.on('media-moved', () => {
      this.#publish((d) => d.put(directoryEntry(session)));
      save();
    });
    session.on('participant-joined', save);
    session.on('interpreter', save);
    session.on('participant-removed', (p) => {
      this.#byToken.delete(p.tokenHash);
      this.#publish(async (d) => {
        await d.forget(p.tokenHash);
        await d.put(directoryEntry(session));
      });
      save();
    });
    session.once('ended', () => {
      if (this.#sessions.get(session.id) !== session) return; // let go of at a stand-down
      this.#sessions.delete(session.id);
      this.#byMatch.delete(session.matchId);
      const last = directoryEntry(session);
      for (const p of session.participants) this.#byToken.delete(p.tokenHash);
      this.#publish((d) => d.remove(last));
      this.deps.desk?.write({ kind: 'call', id: session.id, value: null });
    });
  }

  /**
   * This node no longer leads: it lets go of every call without ending it (no event, no order to
   * its media, nothing written): the new leader takes each over where it is.
   */
  standDown(): void {
    for (const session of this.#sessions.values()) session.media.release();
    this.#sessions.clear();
    this.#byMatch.clear();
    this.#byToken.clear();
  }

  #publish(write: (directory: SessionDirectory) => Promise<void>): void {
    const { directory, log } = this.deps;
    if (!directory) return;
    this.#written = this.#written
      .then(() => write(directory))
      .catch((err: unknown) => log.warn({ err }, 'could not update the session directory'));
  }

  byToken(token: string): { session: Session; participant: Participant } | undefined {
    return this.#byToken.get(tokenHash(token));
  }

  byMatch(matchId: string): Session | undefined {
    return this.#byMatch.get(matchId);
  }

  get(sessionId: string): Session | undefined {
    return this.#sessions.get(sessionId);
  }

  get size(): number {
    return this.#sessions.size;
  }

  all(): Session[] {
    return [...this.#sessions.values()];
  }
}

/** What the next leader needs to take the call over (no conversation: the chat is not kept). */
export function storedCall(session: Session): StoredCall {
  return {
    sessionId: session.id,
    matchId: session.matchId,
    recordId: session.recordId,
    language: session.language,
    mode: session.mode,
    startedAt: session.startedAt,
    mediaCallId: session.media.callId,
    hostNodeId: session.media.hostNodeId,
    ...session.answer,
    interpreter: session.interpreter,
    participants: session.participants.map((p) => ({
      participantId: p.participantId,
      role: p.role,
      accountId: p.accountId,
      displayName: p.displayName,
      tokenHash: p.tokenHash,
      hasJoined: p.hasJoined,
    })),
  };
}
