import { RelayError } from '../../../common/errors';
import type { AgentPresence, EndReason } from '../../../common/protocol';
import type { AwayReason, ChosenAwayReason } from '../../../common/presence';
import type { Logger } from '../logger';
import type { Scheduler } from '../util/scheduler';
import type { CallEventLog } from './CallEventLog';
import type { AttendancePort, CallerPort, CallRecords, InterpreterPort, LobbyPort, Notify } from './ports';
import type { Session } from './Session';
import type { SessionRegistry } from './SessionRegistry';
import type { DeskStore, StoredStaff } from './DeskStore';
import { StaffDirectory, type StaffIdentity } from './StaffDirectory';

export interface AgentDeskDeps {
  lobby: LobbyPort;
  sessions: Pick<SessionRegistry, 'open'>;
  callers: CallerPort;
  interpreters: InterpreterPort;
  attendance: AttendancePort;
  records: CallRecords;
  /** The calls' event log: answers, declined offers, ends, wrap-ups. */
  events: Pick<CallEventLog, 'write' | 'offerDeclined'>;
  notify: Notify;
  scheduler: Scheduler;
  log: Logger;
  /** How long a caller who asked for a callback has to come back to the screen once answered. */
  callbackJoinMs: number;
  /** Where the next leader of a cluster finds wrap-ups owed and agents' names (none in one process). */
  desk?: DeskStore;
}

/**
 * Agents from sign-in to the end of their wrap-up: presence (always the lobby's), offers, opening
 * the call they accept, and what happens when the call ends or they vanish from it.
 */
export class AgentDesk {
  readonly #staff: StaffDirectory;
  /** Agent → the record they must wrap up; owed even across a sign-out. */
  readonly #wrapUps = new Map<string, string>();
  /** Sessions whose agent was lost: their caller is put back in line instead of the call ending. */
  readonly #requeued = new Set<string>();

  constructor(private readonly deps: AgentDeskDeps) {
    this.#staff = new StaffDirectory('agent', deps.desk);
  }

  presenceOf(agentId: string): AgentPresence {
    return this.deps.lobby.read.agentView(agentId)?.presence ?? 'offline';
  }

  /** Signed in: known to the lobby; a wrap-up still owed from before is shown again. */
  async connected(agent: StaffIdentity): Promise<AgentPresence> {
    this.#staff.connected(agent);
    const shift = agent.shift ?? null;
    const known = await this.deps.lobby.attempt('upsertAgent', {
      agentId: agent.id,
      languages: agent.languages,
      ...(shift !== null && { shift }),
    });
    if (!known) {
      // The only refusal with valid languages: a shift the calendar (SHIFTS) no longer has. The agent
      // still takes calls, counted under no shift, and the operator hears of it.
      if (shift !== null)
        this.deps.log.warn({ agentId: agent.id, shift }, 'agent shift is not in SHIFTS; counted under none');
      await this.deps.lobby.run('upsertAgent', { agentId: agent.id, languages: agent.languages });
    }
    if (this.#wrapUps.has(agent.id)) await this.deps.lobby.attempt('resumeWrapUp', agent.id);
    return this.presenceOf(agent.id);
  }

  /** The agent's last socket went away: they stop receiving offers. A call in progress has its own grace. */
  async disconnected(agentId: string): Promise<void> {
    this.#staff.disconnected(agentId);
    if (this.presenceOf(agentId) !== 'in-call')
      await this.deps.lobby.attempt('setAgentPresence', agentId, 'offline');
  }

  /** `reason`: why the agent goes away (only with 'away'). The answer is the lobby's view after it. */
  async setPresence(
    agentId: string,
    presence: 'available' | 'away' | 'offline',
    reason?: ChosenAwayReason,
  ): Promise<{ presence: AgentPresence; reason?: AwayReason }> {
    const current = this.presenceOf(agentId);
    if (current === 'in-call' || current === 'wrap-up') {
      throw new RelayError('invalid-state', `you cannot change presence while ${current}`);
    }
    if (reason === undefined) await this.deps.lobby.run('setAgentPresence', agentId, presence);
    else await this.deps.lobby.run('setAgentPresence', agentId, presence, reason);
    this.deps.log.info({ agentId, presence, reason }, 'agent presence');
    return this.viewOf(agentId);
  }

  /** Presence, and why when away for a reason. */
  viewOf(agentId: string): { presence: AgentPresence; reason?: AwayReason } {
    return this.deps.lobby.read.agentView(agentId) ?? { presence: 'offline' };
  }

  async declineOffer(agentId: string, offerId: string): Promise<void> {
    await this.deps.lobby.run('declineOffer', agentId, offerId);
    this.deps.events.offerDeclined(agentId, offerId);
  }

  /** Accepting creates the session (a router on the least-loaded worker); the agent gets a join token. */
  async acceptOffer(agentId: string, offerId: string): Promise<{ token: string }> {
    const { lobby, callers, attendance, log } = this.deps;
    const { matchId, callerId, needsInterpreter } = await lobby.run('acceptOffer', agentId, offerId);
    const caller = callers.entry(callerId);
    if (!caller) throw new RelayError('internal', 'the caller is no longer known');
    let session: Session;
    try {
      session = await this.deps.sessions.open({
        matchId,
        recordId: caller.recordId,
        language: caller.language,
        mode: caller.mode,
        answer: { agentId, callerId, waitedMs: this.deps.scheduler.now() - caller.joinedAt },
      });
    } catch (err) {
      log.error({ err, matchId }, 'could not open the call; the caller goes back to the head of the line');
      // The lobby sets the agent offline: they may be the cause, and must choose to come back.
      await lobby.attempt('requeueCaller', matchId);
      throw new RelayError('internal', 'the call could not be set up; please try again');
    }
    const callerP = session.addParticipant('caller', null, null);
    const agentP = session.addParticipant(
      'agent',
      agentId,
      this.#staff.identity(agentId)?.displayName ?? null,
    );
    callers.matched(callerId, callerP.token);
    this.deps.notify('session-started', session);
    this.deps.records
      .answered(session.recordId, { agentId })
      .catch((err: unknown) => log.error({ err }, 'could not record an answered call'));
    this.deps.events.write(session.recordId, {
      type: 'answered',
      agentId,
      waitedMs: session.answer.waitedMs,
    });
    this.track(session);
    // Each participant must show up: a callback caller gets longer to come back to the screen.
    attendance.expectJoin(
      session,
      callerP.participantId,
      caller.callback ? this.deps.callbackJoinMs : undefined,
    );
    attendance.expectJoin(session, agentP.participantId);
    log.info({ sessionId: session.id, ...session.answer, needsInterpreter }, 'call answered');
    if (needsInterpreter) session.setInterpreter({ status: 'searching', language: caller.language });
    this.deps.notify('caller-matched', callerId, callerP.token);
    return { token: agentP.token };
  }

  /** What happens when the call ends: its record, the wrap-up owed, the survey (also for a call taken over). */
  track(session: Session): void {
    const { agentId, callerId, waitedMs } = session.answer;
    session.once('ended', (reason) => {
      void this.#sessionEnded(session, agentId, callerId, waitedMs, reason).catch((err: unknown) =>
        this.deps.log.error({ err, sessionId: session.id }, 'could not close the call'),
      );
    });
  }

  /** Takes over the wrap-ups owed and the agents' names another leader kept. */
  restore(wrapUps: Array<{ agentId: string; recordId: string }>, staff: StoredStaff[]): void {
    for (const w of wrapUps) this.#wrapUps.set(w.agentId, w.recordId);
    for (const member of staff) this.#staff.restore(member);
  }

  stored(): { wrapUps: Array<{ agentId: string; recordId: string }>; staff: StoredStaff[] } {
    return {
      wrapUps: [...this.#wrapUps].map(([agentId, recordId]) => ({ agentId, recordId })),
      staff: this.#staff.stored(),
    };
  }

  /** A node reports one of the agent's sockets after a change of leader. */
  present(agentId: string): void {
    this.#staff.present(agentId);
  }

  /** Agents no node reported: their screens went with the old leader and did not come back. */
  async lostInTakeover(): Promise<void> {
    for (const agentId of this.#staff.unreported()) await this.disconnected(agentId);
  }

  /** This node no longer leads: it forgets without a word (the new leader has it all). */
  standDown(): void {
    this.#wrapUps.clear();
    this.#requeued.clear();
    this.#staff.clear();
  }

  /**
   * The agent vanished and did not come back: the caller goes back to the head of the line (keeping
   * the time they waited) rather than being dropped, and the call's media is released.
   */
  lost(session: Session): void {
    this.#requeued.add(session.id);
    session.end('participant-lost');
  }

  async wrapUp(
    agentId: string,
    input: { resolved: boolean; category?: string; note?: string },
  ): Promise<AgentPresence> {
    const recordId = this.#wrapUps.get(agentId);
    if (!recordId) throw new RelayError('invalid-state', 'there is no call to wrap up');
    await this.deps.records.wrapUp(recordId, input);
    this.deps.events.write(recordId, {
      type: 'wrapped-up',
      resolved: input.resolved,
      category: input.category ?? null,
    });
    this.#wrapUps.delete(agentId);
    this.deps.desk?.write({ kind: 'wrapup', id: agentId, value: null });
    await this.deps.lobby.run('finishWrapUp', agentId);
    return this.presenceOf(agentId);
  }

  async #sessionEnded(
    session: Session,
    agentId: string,
    callerId: string,
    waitedMs: number,
    reason: EndReason,
  ): Promise<void> {
    for (const p of session.participants) this.deps.attendance.arrived(p.participantId);
    if (this.#requeued.delete(session.id)) {
      await this.#putBackInLine(session, agentId, callerId);
      return;
    }
    // Cut by the service (its media, or a shutdown past the drain limit): not a completed call.
    const failed = reason === 'media-failed' || reason === 'shutdown';
    const record = (outcome: 'completed' | 'abandoned' | 'failed') => {
      this.deps.records
        .ended(session.recordId, { outcome, waitedMs })
        .catch((err: unknown) => this.deps.log.error({ err }, 'could not record the end of a call'));
      this.deps.events.write(session.recordId, { type: 'ended', by: session.endedBy, reason });
    };
    if (!session.callerJoined) {
      // No call took place: nothing to wrap up and nothing to rate. The caller was answered and did
      // not come, so the record says abandoned (unless the service itself cut it).
      await this.deps.lobby.attempt('abandonMatch', session.matchId);
      await this.deps.interpreters.callEnded(session);
      await this.#offlineIfGone(agentId);
      record(failed ? 'failed' : 'abandoned');
      this.deps.log.info({ sessionId: session.id, agentId, reason }, 'the caller never joined the call');
      this.deps.notify('session-ended', session, reason);
      this.deps.callers.remove(callerId);
      return;
    }
    await this.deps.lobby.attempt('endMatch', session.matchId);
    await this.deps.interpreters.callEnded(session);
    this.#wrapUps.set(agentId, session.recordId);
    this.deps.desk?.write({ kind: 'wrapup', id: agentId, value: { agentId, recordId: session.recordId } });
    // Wrap-up is owed either way; an agent with no screen left is offline until they come back to it.
    await this.#offlineIfGone(agentId);
    record(failed ? 'failed' : 'completed');
    this.deps.notify('session-ended', session, reason);
    this.deps.callers.callEnded(session, callerId);
  }

  async #offlineIfGone(agentId: string): Promise<void> {
    if (!this.#staff.isConnected(agentId))
      await this.deps.lobby.attempt('setAgentPresence', agentId, 'offline');
  }

  async #putBackInLine(session: Session, agentId: string, callerId: string): Promise<void> {
    const { lobby, callers } = this.deps;
    // The lobby sets an agent who vanished offline; no wrap-up is owed for a call they left.
    const back = await lobby.attempt('requeueCaller', session.matchId);
    await this.deps.interpreters.callEnded(session);
    if (!back || !callers.entry(callerId)) {
      callers.remove(callerId);
      return;
    }
    callers.requeued(callerId);
    this.deps.log.info(
      { sessionId: session.id, callerId, agentId },
      'agent lost: caller back at the head of the line',
    );
    const view = lobby.read.callerView(callerId);
    if (view) this.deps.notify('caller-requeued', callerId, view);
    this.deps.notify('session-ended', session, 'participant-lost');
  }
}
