import type {
  AgentPresence,
  CallMode,
  EndReason,
  FallbackView,
  InvitationView,
  OfferView,
  QueueView,
  Role,
  VolunteerStatus,
} from '../../../common/protocol';
import type { Lobby, LobbyEvent, LobbySnapshot } from '../lobby';
import type { Logger } from '../logger';
import { CallMedia, type WorkerPool } from '../media';
import { TypedEmitter } from '../util/TypedEmitter';
import { Session } from './Session';
import { SessionRegistry } from './SessionRegistry';
import { CallCenterError, expectOk } from './errors';
import { CallerLine } from './CallerLine';
import { InterpreterDesk } from './InterpreterDesk';
import { StaffDirectory, type StaffIdentity } from './StaffDirectory';

/** What the call centre needs of the store: call records without any conversation content. */
export interface CallRecords {
  start(input: { callerLanguage: string; mode: CallMode }): Promise<{ id: string }>;
  answered(id: string, input: { agentId: string }): Promise<void>;
  interpreterJoined(id: string, interpreterId: string): Promise<void>;
  ended(
    id: string,
    input: { outcome: 'completed' | 'abandoned' | 'failed'; waitedMs: number },
  ): Promise<void>;
  wrapUp(id: string, input: { category?: string; resolved: boolean; note?: string }): Promise<void>;
  rate(id: string, rating: number): Promise<void>;
}

/** What the desks share with the call centre: the lobby driver, sessions and grace timers. */
export interface DeskContext {
  lobby: Lobby;
  sessions: SessionRegistry;
  records: CallRecords;
  log: Logger;
  clock: () => number;
  graceMs: number;
  apply(events: LobbyEvent[]): void;
  expectJoin(session: Session, participantId: string, withinMs: number): void;
  clearGrace(participantId: string): void;
  emit<K extends keyof CallCenterEvents>(event: K, ...args: CallCenterEvents[K]): void;
}

export type CallCenterEvents = {
  'caller-position': [callerId: string, view: QueueView];
  'caller-fallback': [callerId: string, view: FallbackView];
  'caller-matched': [callerId: string, token: string];
  /** The caller's agent vanished: they are back in line, at its head. */
  'caller-requeued': [callerId: string, view: QueueView];
  'agent-offer': [agentId: string, offer: OfferView];
  'agent-offer-ended': [agentId: string, offerId: string, reason: 'expired' | 'withdrawn' | 'taken'];
  'agent-presence': [agentId: string, presence: AgentPresence, reason?: 'missed-offers'];
  'volunteer-invitation': [volunteerId: string, invitation: InvitationView];
  'volunteer-invitation-ended': [
    volunteerId: string,
    invitationId: string,
    reason: 'taken' | 'expired' | 'cancelled',
  ];
  'volunteer-presence': [volunteerId: string, status: VolunteerStatus];
  'session-started': [session: Session];
  'session-ended': [session: Session, reason: EndReason];
  'caller-survey': [participantId: string, survey: { surveyKey: string; language: string }];
};

export interface CallCenterDeps {
  lobby: Lobby;
  pool: WorkerPool;
  records: CallRecords;
  clock: () => number;
  log: Logger;
  /** How long a dropped participant or waiting caller may take to come back. */
  reconnectGraceMs?: number;
  /** How long a caller who asked for a callback keeps their place while away from the screen. */
  callbackHoldMs?: number;
}

/**
 * Runs the pure lobby for real: feeds it what happens, relays its decisions, owns the one timer
 * that drives its deadlines, and turns matches into sessions with media. Signalling subscribes to
 * its events and delivers them to whichever sockets belong to the caller, agent or volunteer named.
 */
export { CallCenterError } from './errors';

export class CallCenter extends TypedEmitter<CallCenterEvents> {
  readonly sessions = new SessionRegistry();
  readonly interpreters: InterpreterDesk;
  readonly callers: CallerLine;
  readonly #lobby: Lobby;
  readonly #agents = new StaffDirectory<AgentPresence>('offline');
  /** Agent → the record they must wrap up. */
  readonly #wrapUps = new Map<string, string>();
  readonly #graceTimers = new Map<string, NodeJS.Timeout>();
  /** Sessions whose agent was lost: their caller is put back in line instead of the call ending. */
  readonly #requeued = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #timerAt: number | null = null;
  readonly #log: Logger;

  constructor(private readonly deps: CallCenterDeps) {
    super((event, error) => deps.log.error({ event, err: error }, 'call centre listener failed'));
    this.#lobby = deps.lobby;
    this.#log = deps.log.child({ module: 'calls' });
    const ctx: DeskContext = {
      lobby: deps.lobby,
      sessions: this.sessions,
      records: deps.records,
      log: this.#log,
      clock: deps.clock,
      graceMs: deps.reconnectGraceMs ?? 30_000,
      apply: (events) => this.#apply(events),
      expectJoin: (session, participantId, withinMs) => this.#expectJoin(session, participantId, withinMs),
      clearGrace: (participantId) => this.#clearGrace(participantId),
      emit: (event, ...args) => this.safeEmit(event, ...args),
    };
    this.interpreters = new InterpreterDesk(ctx);
    this.callers = new CallerLine(ctx, deps.callbackHoldMs ?? 2 * 60 * 60_000);
  }

  get #graceMs(): number {
    return this.deps.reconnectGraceMs ?? 30_000;
  }

  // ── agents ─────────────────────────────────────────────────────────────────────────────────

  agentConnected(agent: StaffIdentity): AgentPresence {
    this.#agents.remember(agent);
    this.#apply(expectOk(this.#lobby.upsertAgent({ agentId: agent.id, languages: agent.languages })).events);
    return this.#agents.presence(agent.id);
  }

  /** The agent's last socket went away: they stop receiving offers. A call in progress has its own grace. */
  agentDisconnected(agentId: string): void {
    if (['available', 'offered', 'away'].includes(this.#agents.presence(agentId))) {
      this.setAgentPresence(agentId, 'offline');
    }
  }

  setAgentPresence(agentId: string, presence: 'available' | 'away' | 'offline'): AgentPresence {
    const current = this.#agents.presence(agentId);
    if (current === 'in-call' || current === 'wrap-up') {
      throw new CallCenterError('invalid-state', `you cannot change presence while ${current}`);
    }
    const { events } = expectOk(this.#lobby.setAgentPresence(agentId, presence));
    this.#agents.setPresence(agentId, presence);
    this.#apply(events);
    this.#log.info({ agentId, presence }, 'agent presence');
    return this.#agents.presence(agentId);
  }

  presenceOf(agentId: string): AgentPresence {
    return this.#agents.presence(agentId);
  }

  declineOffer(agentId: string, offerId: string): void {
    const { events } = expectOk(this.#lobby.declineOffer(agentId, offerId));
    this.#agents.setPresence(agentId, 'available');
    this.#apply(events);
  }

  /** Accepting creates the session (a router on the least-loaded worker); the agent gets a join token. */
  async acceptOffer(agentId: string, offerId: string): Promise<{ token: string }> {
    const { value, events } = expectOk(this.#lobby.acceptOffer(agentId, offerId));
    const { matchId, callerId, needsInterpreter } = value;
    this.#agents.setPresence(agentId, 'in-call');
    const caller = this.callers.entry(callerId);
    if (!caller) throw new CallCenterError('internal', 'the caller is no longer known');
    let session: Session;
    try {
      const media = await CallMedia.create(this.deps.pool, matchId, this.deps.log);
      session = new Session(
        matchId,
        await caller.recordId,
        caller.language,
        caller.mode,
        media,
        this.deps.clock(),
        this.#log.child({ matchId }),
      );
    } catch (err) {
      this.#log.error(
        { err, matchId },
        'could not open the call; the caller goes back to the head of the line',
      );
      this.#agents.setPresence(agentId, 'offline');
      this.safeEmit('agent-presence', agentId, 'offline');
      this.#apply(events);
      const back = this.#lobby.requeueCaller(matchId);
      if (back.ok) this.#apply(back.events);
      throw new CallCenterError('internal', 'the call could not be set up; please try again');
    }
    const callerP = session.addParticipant('caller', null, null);
    const agentP = session.addParticipant(
      'agent',
      agentId,
      this.#agents.identity(agentId)?.displayName ?? null,
    );
    caller.token = callerP.token;
    this.sessions.add(session);
    this.safeEmit('session-started', session);
    const waitedMs = this.deps.clock() - caller.joinedAt;
    this.deps.records
      .answered(session.recordId, { agentId })
      .catch((err: unknown) => this.#log.error({ err }, 'could not record an answered call'));
    session.once('ended', (reason) => this.#onSessionEnded(session, agentId, callerId, waitedMs, reason));
    // Each participant must show up: a callback caller gets longer to come back to the screen.
    this.#expectJoin(session, callerP.participantId, caller.callback ? 2 * 60_000 : this.#graceMs);
    this.#expectJoin(session, agentP.participantId, this.#graceMs);
    this.#log.info({ sessionId: session.id, agentId, callerId, waitedMs, needsInterpreter }, 'call answered');
    // Invitations to volunteers (for a bridged call) go out once the session exists to receive them.
    this.#apply(events);
    if (needsInterpreter) session.setInterpreter({ status: 'searching', language: caller.language });
    this.safeEmit('caller-matched', callerId, callerP.token);
    return { token: agentP.token };
  }

  #onSessionEnded(
    session: Session,
    agentId: string,
    callerId: string,
    waitedMs: number,
    reason: EndReason,
  ): void {
    for (const p of session.participants) this.#clearGrace(p.participantId);
    if (this.#requeued.delete(session.id)) {
      this.#putBackInLine(session, agentId, callerId);
      return;
    }
    const r = this.#lobby.endMatch(session.matchId);
    if (r.ok) this.#apply(r.events);
    this.interpreters.callEnded(session);
    this.#agents.setPresence(agentId, 'wrap-up');
    this.#wrapUps.set(agentId, session.recordId);
    this.safeEmit('agent-presence', agentId, 'wrap-up');
    this.deps.records
      .ended(session.recordId, { outcome: reason === 'media-failed' ? 'failed' : 'completed', waitedMs })
      .catch((err: unknown) => this.#log.error({ err }, 'could not record the end of a call'));
    this.safeEmit('session-ended', session, reason);
    this.callers.callEnded(session, callerId);
  }

  #putBackInLine(session: Session, agentId: string, callerId: string): void {
    const back = this.#lobby.requeueCaller(session.matchId);
    // The lobby sets an agent who vanished offline; no wrap-up is owed for a call they left.
    this.#agents.setPresence(agentId, 'offline');
    this.safeEmit('agent-presence', agentId, 'offline');
    this.interpreters.callEnded(session);
    const entry = this.callers.entry(callerId);
    if (!back.ok || !entry) {
      this.callers.remove(callerId);
      return;
    }
    entry.token = null;
    this.#apply(back.events);
    const view = this.#lobby.callerView(callerId);
    this.#log.info(
      { sessionId: session.id, callerId, agentId },
      'agent lost: caller back at the head of the line',
    );
    if (view) this.safeEmit('caller-requeued', callerId, view);
    this.safeEmit('session-ended', session, 'participant-lost');
  }

  async wrapUp(
    agentId: string,
    input: { resolved: boolean; category?: string; note?: string },
  ): Promise<AgentPresence> {
    const recordId = this.#wrapUps.get(agentId);
    if (!recordId) throw new CallCenterError('invalid-state', 'there is no call to wrap up');
    await this.deps.records.wrapUp(recordId, input);
    this.#wrapUps.delete(agentId);
    const { events } = expectOk(this.#lobby.finishWrapUp(agentId));
    this.#agents.setPresence(agentId, 'available');
    this.#apply(events);
    return 'available';
  }

  // ── participants coming and going ───────────────────────────────────────────────────────────

  participantConnected(session: Session, participantId: string): void {
    this.#clearGrace(participantId);
    session.setConnected(participantId, true);
  }

  /**
   * A dropped participant has a grace period to come back on a new socket. Past it, a caller or
   * agent lost ends the call; an interpreter lost leaves it, and other volunteers are rung.
   */
  participantDisconnected(session: Session, participantId: string): void {
    session.setConnected(participantId, false);
    if (!session.ended) this.#expectJoin(session, participantId, this.#graceMs);
  }

  #expectJoin(session: Session, participantId: string, withinMs: number): void {
    this.#clearGrace(participantId);
    const timer = setTimeout(() => {
      this.#graceTimers.delete(participantId);
      const p = session.participant(participantId);
      if (!p || p.connected || session.ended) return;
      if (p.role === 'interpreter') this.interpreters.interpreterGone(session, participantId, true);
      else if (p.role === 'agent') this.#agentLost(session);
      else session.end('participant-lost');
    }, withinMs);
    timer.unref();
    this.#graceTimers.set(participantId, timer);
  }

  /**
   * The agent vanished and did not come back: the caller goes back to the head of the line (keeping
   * the time they waited) rather than being dropped, and the call's media is released.
   */
  #agentLost(session: Session): void {
    this.#requeued.add(session.id);
    session.end('participant-lost');
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

  /** The live queue and staff by state, for the supervisor. */
  overview(): LobbySnapshot & { sessions: number } {
    return { ...this.#lobby.snapshot(), sessions: this.sessions.size };
  }

  // ── the lobby's decisions ───────────────────────────────────────────────────────────────────

  #apply(events: LobbyEvent[]): void {
    for (const e of events) this.#relay(e);
    this.#schedule();
  }

  #relay(e: LobbyEvent): void {
    switch (e.type) {
      case 'queue-position':
        this.safeEmit('caller-position', e.callerId, {
          position: e.position,
          estimatedWaitMs: e.estimatedWaitMs,
        });
        return;
      case 'fallback-available':
        this.safeEmit('caller-fallback', e.callerId, { options: e.options, reason: e.reason });
        return;
      case 'offer':
        this.#agents.setPresence(e.agentId, 'offered');
        this.safeEmit('agent-offer', e.agentId, {
          offerId: e.offerId,
          language: e.language,
          mode: e.mode,
          waitedMs: e.waitedMs,
          expiresAt: e.expiresAt,
          needsInterpreter: e.needsInterpreter,
          callback: e.callback === true,
        });
        return;
      case 'offer-expired':
      case 'offer-withdrawn':
        this.#agents.transition(e.agentId, ['offered'], 'available');
        this.safeEmit(
          'agent-offer-ended',
          e.agentId,
          e.offerId,
          e.type === 'offer-expired' ? 'expired' : 'withdrawn',
        );
        return;
      case 'agent-away':
        this.#agents.setPresence(e.agentId, 'away');
        this.safeEmit('agent-presence', e.agentId, 'away', 'missed-offers');
        return;
      case 'invitation':
      case 'invitation-withdrawn':
        this.interpreters.relay(e);
        return;
      case 'caller-left': {
        // The lobby let a caller go (e.g. the wait ran out): forget them too.
        this.callers.left(e.callerId);
        return;
      }
      case 'matched':
      case 'interpreter-joined':
        // Handled where the offer or invitation is accepted.
        return;
    }
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
    this.callers.clear();
    for (const s of this.sessions.all()) s.end('hangup');
  }
}
