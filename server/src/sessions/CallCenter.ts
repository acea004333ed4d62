import type {
  AgentPresence,
  CallMode,
  EndReason,
  OfferView,
  QueueView,
  Role,
} from '../../../common/protocol';
import type { Lobby, LobbyEvent } from '../lobby';
import type { Logger } from '../logger';
import { CallMedia, type WorkerPool } from '../media';
import { TypedEmitter } from '../util/TypedEmitter';
import { Session } from './Session';
import { SessionRegistry } from './SessionRegistry';

/** What the call centre needs of the store: call records without any conversation content. */
export interface CallRecords {
  start(input: { callerLanguage: string; mode: CallMode }): Promise<{ id: string }>;
  answered(id: string, input: { agentId: string }): Promise<void>;
  ended(
    id: string,
    input: { outcome: 'completed' | 'abandoned' | 'failed'; waitedMs: number },
  ): Promise<void>;
  wrapUp(id: string, input: { category?: string; resolved: boolean; note?: string }): Promise<void>;
}

export interface AgentIdentity {
  agentId: string;
  displayName: string;
  languages: string[];
}

export type CallCenterEvents = {
  'caller-position': [callerId: string, view: QueueView];
  'caller-matched': [callerId: string, token: string];
  'agent-offer': [agentId: string, offer: OfferView];
  'agent-offer-ended': [agentId: string, offerId: string, reason: 'expired' | 'withdrawn' | 'taken'];
  'agent-presence': [agentId: string, presence: AgentPresence, reason?: 'missed-offers'];
  'session-started': [session: Session];
  'session-ended': [session: Session, reason: EndReason];
};

export class CallCenterError extends Error {
  constructor(
    readonly code: 'not-found' | 'invalid-state' | 'invalid-language' | 'expired' | 'taken' | 'internal',
    message: string,
  ) {
    super(message);
    this.name = 'CallCenterError';
  }
}

interface WaitingCaller {
  /** The call record, written once the lobby has accepted the caller. */
  recordId: Promise<string>;
  language: string;
  mode: CallMode;
  joinedAt: number;
}

export interface CallCenterDeps {
  lobby: Lobby;
  pool: WorkerPool;
  records: CallRecords;
  clock: () => number;
  log: Logger;
  /** How long a participant may be gone before the call is ended for them. */
  reconnectGraceMs?: number;
}

/**
 * Runs the pure lobby for real: feeds it what happens, relays its decisions, owns the one timer
 * that drives its deadlines, and turns matches into sessions with media. Signalling subscribes to
 * its events and delivers them to whichever sockets belong to the caller or agent named.
 */
export class CallCenter extends TypedEmitter<CallCenterEvents> {
  readonly sessions = new SessionRegistry();
  readonly #lobby: Lobby;
  readonly #callers = new Map<string, WaitingCaller>();
  readonly #agents = new Map<string, AgentIdentity>();
  readonly #presence = new Map<string, AgentPresence>();
  /** Agent → the record they must wrap up. */
  readonly #wrapUps = new Map<string, string>();
  readonly #graceTimers = new Map<string, NodeJS.Timeout>();
  #timer: NodeJS.Timeout | null = null;
  #timerAt: number | null = null;
  readonly #log: Logger;

  constructor(private readonly deps: CallCenterDeps) {
    super((event, error) => deps.log.error({ event, err: error }, 'call centre listener failed'));
    this.#lobby = deps.lobby;
    this.#log = deps.log.child({ module: 'calls' });
  }

  // ── callers ────────────────────────────────────────────────────────────────────────────────

  async requestCall(callerId: string, language: string, mode: CallMode): Promise<QueueView> {
    const joinedAt = this.deps.clock();
    const result = this.#lobby.enqueueCaller({ callerId, language, mode });
    if (!result.ok)
      throw new CallCenterError(
        result.error.code === 'invalid-language' ? 'invalid-language' : 'invalid-state',
        result.error.message,
      );
    // The record is written after the lobby accepted, so a refused request leaves nothing behind.
    const recordId = this.deps.records.start({ callerLanguage: language, mode }).then((r) => r.id);
    this.#callers.set(callerId, { recordId, language, mode, joinedAt });
    this.#apply(result.events);
    await recordId;
    this.#log.info({ callerId, language, mode }, 'caller joined the line');
    return result.value;
  }

  cancelCall(callerId: string, reason: 'cancelled' | 'disconnected'): void {
    const caller = this.#callers.get(callerId);
    const result = this.#lobby.cancelCaller(callerId);
    if (!result.ok) throw new CallCenterError('not-found', 'you are not waiting');
    this.#callers.delete(callerId);
    this.#apply(result.events);
    caller?.recordId
      .then((id) => this.deps.records.ended(id, { outcome: 'abandoned', waitedMs: result.value.waitedMs }))
      .catch((err: unknown) => this.#log.error({ err }, 'could not record an abandoned call'));
    this.#log.info({ callerId, reason, waitedMs: result.value.waitedMs }, 'caller left the line');
  }

  isWaiting(callerId: string): boolean {
    return this.#callers.has(callerId);
  }

  // ── agents ─────────────────────────────────────────────────────────────────────────────────

  agentConnected(agent: AgentIdentity): AgentPresence {
    this.#agents.set(agent.agentId, agent);
    const r = this.#lobby.upsertAgent({ agentId: agent.agentId, languages: agent.languages });
    if (!r.ok) throw new CallCenterError('invalid-language', r.error.message);
    return this.#presence.get(agent.agentId) ?? 'offline';
  }

  /** The agent's last socket went away: they stop receiving offers. A call in progress has its own grace. */
  agentDisconnected(agentId: string): void {
    const presence = this.#presence.get(agentId);
    if (presence === 'available' || presence === 'offered' || presence === 'away')
      this.setAgentPresence(agentId, 'offline');
  }

  setAgentPresence(agentId: string, presence: 'available' | 'away' | 'offline'): AgentPresence {
    const r = this.#lobby.setAgentPresence(agentId, presence);
    if (!r.ok)
      throw new CallCenterError(
        r.error.code === 'not-found' ? 'not-found' : 'invalid-state',
        r.error.message,
      );
    this.#presence.set(agentId, presence);
    this.#apply(r.events);
    this.#log.info({ agentId, presence }, 'agent presence');
    return this.#presence.get(agentId) ?? presence;
  }

  declineOffer(agentId: string, offerId: string): void {
    const r = this.#lobby.declineOffer(agentId, offerId);
    if (!r.ok)
      throw new CallCenterError(r.error.code === 'expired' ? 'expired' : 'not-found', r.error.message);
    this.#presence.set(agentId, 'available');
    this.#apply(r.events);
  }

  /** Accepting creates the session (a router on the least-loaded worker); the agent gets a join token. */
  async acceptOffer(agentId: string, offerId: string): Promise<{ token: string }> {
    const r = this.#lobby.acceptOffer(agentId, offerId);
    if (!r.ok) {
      const code = r.error.code === 'expired' || r.error.code === 'taken' ? r.error.code : 'not-found';
      throw new CallCenterError(code, r.error.message);
    }
    const { matchId, callerId } = r.value;
    this.#presence.set(agentId, 'in-call');
    this.#apply(r.events);
    const caller = this.#callers.get(callerId);
    this.#callers.delete(callerId);
    if (!caller) throw new CallCenterError('internal', 'the caller is no longer known');
    let session: Session;
    try {
      session = await this.#openSession(matchId, caller, await caller.recordId);
    } catch (err) {
      this.#log.error(
        { err, matchId },
        'could not open the call; the caller goes back to the head of the line',
      );
      this.#callers.set(callerId, caller);
      this.#presence.set(agentId, 'available');
      const back = this.#lobby.requeueCaller(matchId);
      if (back.ok) this.#apply(back.events);
      throw new CallCenterError('internal', 'the call could not be set up; please try again');
    }
    const agent = this.#agents.get(agentId);
    const callerP = session.addParticipant('caller', null, null);
    const agentP = session.addParticipant('agent', agentId, agent?.displayName ?? null);
    this.sessions.add(session);
    this.safeEmit('session-started', session);
    const waitedMs = this.deps.clock() - caller.joinedAt;
    this.deps.records
      .answered(session.recordId, { agentId })
      .catch((err: unknown) => this.#log.error({ err }, 'could not record an answered call'));
    session.once('ended', (reason) => this.#onSessionEnded(session, agentId, waitedMs, reason));
    this.#log.info({ sessionId: session.id, agentId, callerId, waitedMs }, 'call answered');
    this.safeEmit('caller-matched', callerId, callerP.token);
    return { token: agentP.token };
  }

  async #openSession(matchId: string, caller: WaitingCaller, recordId: string): Promise<Session> {
    const media = await CallMedia.create(this.deps.pool, matchId, this.deps.log);
    return new Session(
      matchId,
      recordId,
      caller.language,
      caller.mode,
      media,
      this.deps.clock(),
      this.#log.child({ matchId }),
    );
  }

  #onSessionEnded(session: Session, agentId: string, waitedMs: number, reason: EndReason): void {
    for (const p of session.participants) this.#clearGrace(p.participantId);
    const r = this.#lobby.endMatch(session.matchId);
    if (r.ok) this.#apply(r.events);
    this.#presence.set(agentId, 'wrap-up');
    this.#wrapUps.set(agentId, session.recordId);
    this.safeEmit('agent-presence', agentId, 'wrap-up');
    this.deps.records
      .ended(session.recordId, { outcome: reason === 'media-failed' ? 'failed' : 'completed', waitedMs })
      .catch((err: unknown) => this.#log.error({ err }, 'could not record the end of a call'));
    this.safeEmit('session-ended', session, reason);
  }

  async wrapUp(
    agentId: string,
    input: { resolved: boolean; category?: string; note?: string },
  ): Promise<AgentPresence> {
    const recordId = this.#wrapUps.get(agentId);
    if (!recordId) throw new CallCenterError('invalid-state', 'there is no call to wrap up');
    await this.deps.records.wrapUp(recordId, input);
    this.#wrapUps.delete(agentId);
    const r = this.#lobby.finishWrapUp(agentId);
    if (!r.ok) throw new CallCenterError('invalid-state', r.error.message);
    this.#presence.set(agentId, 'available');
    this.#apply(r.events);
    return 'available';
  }

  presenceOf(agentId: string): AgentPresence {
    return this.#presence.get(agentId) ?? 'offline';
  }

  // ── participants coming and going ───────────────────────────────────────────────────────────

  participantConnected(session: Session, participantId: string): void {
    this.#clearGrace(participantId);
    session.setConnected(participantId, true);
  }

  /** A dropped participant has a grace period to come back on a new socket before the call ends. */
  participantDisconnected(session: Session, participantId: string): void {
    session.setConnected(participantId, false);
    if (session.ended) return;
    this.#clearGrace(participantId);
    const timer = setTimeout(() => {
      this.#graceTimers.delete(participantId);
      if (!session.participant(participantId)?.connected) session.end('participant-lost');
    }, this.deps.reconnectGraceMs ?? 30_000);
    timer.unref();
    this.#graceTimers.set(participantId, timer);
  }

  #clearGrace(participantId: string): void {
    const t = this.#graceTimers.get(participantId);
    if (t) clearTimeout(t);
    this.#graceTimers.delete(participantId);
  }

  endSession(session: Session, role: Role): void {
    this.#log.info({ sessionId: session.id, by: role }, 'hang-up');
    session.end('hangup');
  }

  // ── the lobby's decisions ───────────────────────────────────────────────────────────────────

  #apply(events: LobbyEvent[]): void {
    for (const e of events) {
      switch (e.type) {
        case 'queue-position':
          this.safeEmit('caller-position', e.callerId, {
            position: e.position,
            estimatedWaitMs: e.estimatedWaitMs,
          });
          break;
        case 'offer':
          this.#presence.set(e.agentId, 'offered');
          this.safeEmit('agent-offer', e.agentId, {
            offerId: e.offerId,
            language: e.language,
            mode: e.mode,
            waitedMs: e.waitedMs,
            expiresAt: e.expiresAt,
            needsInterpreter: e.needsInterpreter,
          });
          break;
        case 'offer-expired':
          if (this.#presence.get(e.agentId) === 'offered') this.#presence.set(e.agentId, 'available');
          this.safeEmit('agent-offer-ended', e.agentId, e.offerId, 'expired');
          break;
        case 'offer-withdrawn':
          if (this.#presence.get(e.agentId) === 'offered') this.#presence.set(e.agentId, 'available');
          this.safeEmit('agent-offer-ended', e.agentId, e.offerId, 'withdrawn');
          break;
        case 'agent-away':
          this.#presence.set(e.agentId, 'away');
          this.safeEmit('agent-presence', e.agentId, 'away', 'missed-offers');
          break;
        default:
          // matched is handled where the offer is accepted; volunteer events come with three-way calls.
          break;
      }
    }
    this.#schedule();
  }

  /** One timer, set to the lobby's earliest deadline. */
  #schedule(): void {
    const at = this.#lobby.nextDeadline();
    if (at === this.#timerAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerAt = at;
    if (at === null) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#timerAt = null;
        this.#apply(this.#lobby.tick());
      },
      Math.max(0, at - this.deps.clock()),
    );
    this.#timer.unref();
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    for (const t of this.#graceTimers.values()) clearTimeout(t);
    for (const s of this.sessions.all()) s.end('hangup');
  }
}
