import { z } from 'zod';
import type { LobbySnapshot } from '../lobby';
import type { Logger } from '../logger';
import type { MediaPlacement } from '../media';
import { TypedEmitter } from '../util/TypedEmitter';
import type { TurnConfig } from '../config';
import type { Scheduler } from '../util/scheduler';
import { CentreCalendar, type Arrival } from '../figures/calendar';
import { DEFAULT_CONFIG, DEFAULT_SHIFTS } from '../lobby';
import { AgentDesk } from './AgentDesk';
import { CallEventLog } from './CallEventLog';
import { Attendance } from './Attendance';
import type { DeskSnapshot, DeskStore } from './DeskStore';
import { CallerLine } from './CallerLine';
import { GraceTimers } from './GraceTimers';
import { LobbyDriver } from './LobbyDriver';
import type { LobbyEngine } from './LobbyEngine';
import type { CallCenterEvents, CallRecords, Notify } from './ports';
import type { SessionDirectory } from './SessionDirectory';
import { SessionRegistry, storedCall } from './SessionRegistry';
import { type CallSeat, SessionDesk } from './SessionDesk';
import { Session } from './Session';
import { VolunteerDesk } from './VolunteerDesk';

export type { CallCenterEvents, CallRecords } from './ports';

export interface CallCenterDeps {
  /** Where the lobby's commands are applied: this process, or a cluster's replicated log. */
  engine: LobbyEngine;
  /** Where each call's media goes: this node's workers, or the least-loaded node of a cluster. */
  media: MediaPlacement;
  records: CallRecords;
  /** Where the other nodes of a cluster read the live calls. */
  directory?: SessionDirectory;
  scheduler: Scheduler;
  log: Logger;
  /** How long a dropped participant or waiting caller may take to come back. */
  reconnectGraceMs?: number;
  /** How long a caller who asked for a callback keeps their place while away from the screen. */
  callbackHoldMs?: number;
  /** TURN servers handed to browsers with each transport (none when absent). */
  turn?: TurnConfig | null;
  /** Where the desks' state is kept for the next leader of a cluster (none in one process). */
  desk?: DeskStore;
  /** Shift, hour and weekday of a call's arrival (default: the lobby's default zone and shifts). */
  arrival?: (at: number) => Arrival;
}

/**
 * What one node's sockets hold, told to a new leader after a change of leader: the seats in calls,
 * the callers waiting and the staff signed in there. Whoever nobody reports went with the old leader.
 */
export interface PresenceReport {
  seats: CallSeat[];
  callers: string[];
  agents: string[];
  volunteers: string[];
}

const Id = z.string().min(1).max(256);
/** A presence report as it crosses the bus (another node's answer is input like any other). */
export const PresenceReportSchema: z.ZodType<PresenceReport> = z.strictObject({
  seats: z.array(z.strictObject({ sessionId: Id, participantId: Id })).max(100_000),
  callers: z.array(Id).max(100_000),
  agents: z.array(Id).max(100_000),
  volunteers: z.array(Id).max(100_000),
});

/** How long an answered callback caller has to come back to the screen. */
const CALLBACK_JOIN_MS = 2 * 60_000;

/**
 * Wires the desks around the lobby and emits what signalling must deliver. It holds no state of
 * its own: the lobby owns presence and the line, the desks own what the lobby does not (sessions,
 * held places, wrap-ups owed, who is connected).
 */
export class CallCenter extends TypedEmitter<CallCenterEvents> {
  readonly sessions: SessionRegistry;
  readonly callers: CallerLine;
  readonly agents: AgentDesk;
  readonly volunteers: VolunteerDesk;
  /** What participants do inside a call, by session and participant id. */
  readonly inCall: SessionDesk;
  readonly #driver: LobbyDriver;
  readonly #events: CallEventLog;
  readonly #attendance: Attendance;
  readonly #participantWaits: GraceTimers;
  readonly #graceMs: number;

  constructor(private readonly deps: CallCenterDeps) {
    super((event, error) => deps.log.error({ event, err: error }, 'call centre listener failed'));
    const log = deps.log.child({ module: 'calls' });
    const graceMs = deps.reconnectGraceMs ?? 30_000;
    this.#graceMs = graceMs;
    const notify: Notify = (event, ...args) => this.safeEmit(event, ...args);
    const desk = deps.desk && { desk: deps.desk };
    this.sessions = new SessionRegistry({
      media: deps.media,
      scheduler: deps.scheduler,
      log: deps.log,
      ...(deps.directory && { directory: deps.directory }),
      ...desk,
    });
    const calendar = deps.arrival
      ? null
      : new CentreCalendar(
          DEFAULT_CONFIG.timeZone,
          DEFAULT_SHIFTS.map((s) => ({ ...s })),
        );
    this.#events = new CallEventLog({
      records: deps.records,
      callers: { entry: (callerId) => this.callers.entry(callerId) },
      sessions: this.sessions,
      arrival: deps.arrival ?? ((at) => calendar!.arrival(at)),
      scheduler: deps.scheduler,
      log,
    });
    this.#driver = new LobbyDriver({
      engine: deps.engine,
      notify,
      onCallerLeft: (callerId) => this.callers.left(callerId),
      onEvent: (event) => this.#events.lobbyEvent(event),
    });
    this.#participantWaits = new GraceTimers(deps.scheduler, graceMs);
    this.#attendance = new Attendance(this.#participantWaits, {
      // A caller who never came at all is a no-show: the agent is told so and owes no wrap-up.
      caller: (session) => session.end(session.callerJoined ? 'participant-lost' : 'caller-no-show'),
      agent: (session) => this.agents.lost(session),
      interpreter: (session, participantId) => {
        this.volunteers
          .interpreterGone(session, participantId, true, 'participant-lost')
          .catch((err: unknown) => log.error({ err, participantId }, 'could not replace a lost interpreter'));
      },
    });
    this.callers = new CallerLine({
      lobby: this.#driver,
      records: deps.records,
      events: this.#events,
      notify,
      scheduler: deps.scheduler,
      holds: new GraceTimers(deps.scheduler, graceMs),
      callbackHoldMs: deps.callbackHoldMs ?? 2 * 60 * 60_000,
      ...desk,
      log,
    });
    this.volunteers = new VolunteerDesk({
      lobby: this.#driver,
      sessions: this.sessions,
      attendance: this.#attendance,
      records: deps.records,
      events: this.#events,
      ...desk,
      log,
    });
    this.agents = new AgentDesk({
      lobby: this.#driver,
      sessions: this.sessions,
      callers: this.callers,
      interpreters: this.volunteers,
      attendance: this.#attendance,
      records: deps.records,
      events: this.#events,
      notify,
      scheduler: deps.scheduler,
      log,
      callbackJoinMs: CALLBACK_JOIN_MS,
      ...desk,
    });
    // The call is open: invitations rung as it was being opened are logged against it.
    this.on('session-started', (session) => this.#events.opened(session));
    this.inCall = new SessionDesk({
      sessions: this.sessions,
      attendance: this.#attendance,
      volunteers: this.volunteers,
      scheduler: deps.scheduler,
      log,
      turn: deps.turn ?? null,
    });
  }

  /** The live queue and staff by state, for the supervisor: all of it the lobby's own figures. */
  overview(): LobbySnapshot & { sessions: number; longestWaitMsByLanguage: Record<string, number> } {
    const read = this.#driver.read;
    return {
      ...read.snapshot(),
      longestWaitMsByLanguage: read.longestWaitByLanguage(),
      sessions: this.sessions.size,
    };
  }

  /**
   * Takes over what the last leader's desks held (this node now leads): the line, wrap-ups owed,
   * surveys, staff, and each live call on its router (or a new one, if its host went with the old
   * leader: the browsers are then told to set media up again). Nobody counts as connected until a
   * node reports their socket (`presenceReport`); a participant or waiting caller not reported
   * within the reconnect grace is lost as after any dropped connection.
   */
  async restore(snapshot: DeskSnapshot): Promise<void> {
    const { media, log, scheduler } = this.deps;
    this.callers.restore(snapshot.callers, snapshot.surveys);
    this.agents.restore(snapshot.wrapUps, snapshot.staff);
    this.volunteers.restore(snapshot.staff);
    const calls = await Promise.all(
      snapshot.calls.map(async (call) => {
        try {
          const resumed = await media.resume!({
            matchId: call.matchId,
            mediaCallId: call.mediaCallId,
            hostNodeId: call.hostNodeId,
            participantIds: call.participants.map((p) => p.participantId),
          });
          return { call, ...resumed };
        } catch (err) {
          log.error({ err, sessionId: call.sessionId }, 'could not take a call over: it is lost');
          return null;
        }
      }),
    );
    for (const taken of calls) {
      if (!taken) continue;
      const { call } = taken;
      const session = new Session(
        call.matchId,
        call.recordId,
        call.language,
        call.mode,
        taken.media,
        { agentId: call.agentId, callerId: call.callerId, waitedMs: call.waitedMs },
        call.startedAt,
        log.child({ matchId: call.matchId }),
        call.sessionId,
      );
      for (const p of call.participants) session.restoreParticipant(p);
      session.restoreInterpreter(call.interpreter);
      this.sessions.add(session);
      this.agents.track(session);
      this.safeEmit('session-started', session);
      for (const p of call.participants) this.#attendance.expectJoin(session, p.participantId);
      if (taken.moved) session.mediaMoved();
    }
    log.info(
      { callers: snapshot.callers.length, calls: calls.filter(Boolean).length, at: scheduler.now() },
      'took over the desks of the last leader',
    );
    // Staff nobody reported by then went with the old leader: offline, as after any sign-out.
    scheduler.after(this.#graceMs, () => {
      void Promise.all([this.agents.lostInTakeover(), this.volunteers.lostInTakeover()]).catch(
        (err: unknown) => log.error({ err }, 'could not set staff lost in the takeover offline'),
      );
    });
  }

  /** One node's sockets, after a change of leader: these never left. */
  presenceReport(report: PresenceReport): void {
    for (const seat of report.seats) {
      const session = this.sessions.get(seat.sessionId);
      if (session?.participant(seat.participantId)) this.#attendance.joined(session, seat.participantId);
    }
    for (const callerId of report.callers) this.callers.present(callerId);
    for (const agentId of report.agents) this.agents.present(agentId);
    for (const volunteerId of report.volunteers) this.volunteers.present(volunteerId);
  }

  /** Everything the desks hold, as the desks' store keeps it. */
  stored(): DeskSnapshot {
    const agents = this.agents.stored();
    return {
      ...this.callers.stored(),
      wrapUps: agents.wrapUps,
      staff: [...agents.staff, ...this.volunteers.stored()],
      calls: this.sessions.all().map(storedCall),
    };
  }

  /**
   * The lease is gone (Redis unreachable, a pause): nothing this node's desks hold may act on its
   * own until it is clear who leads. Every wait for someone to come back is called off; the state
   * stays, to carry on with (`thaw`) if this node leads again before anyone else does.
   */
  freeze(): void {
    this.#participantWaits.clear();
    this.callers.freeze();
  }

  /** Leading again, and nobody else led meanwhile: the waits start again for whoever is away. */
  thaw(): void {
    for (const session of this.sessions.all())
      for (const p of session.participants)
        if (!p.connected) this.#attendance.expectJoin(session, p.participantId);
    this.callers.thaw();
  }

  /**
   * Another node leads: this one lets go of everything without ending or writing anything, so the
   * new leader takes it all over as it was.
   */
  standDown(): void {
    this.#participantWaits.clear();
    this.sessions.standDown();
    this.callers.standDown();
    this.agents.standDown();
    this.volunteers.standDown();
    this.#events.clear();
  }

  close(): void {
    this.#driver.close();
    this.#participantWaits.clear();
    this.callers.clear();
    for (const s of this.sessions.all()) s.end('hangup');
  }
}
