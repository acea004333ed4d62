import type { LobbySnapshot } from '../lobby';
import type { Logger } from '../logger';
import type { MediaPlacement } from '../media';
import { TypedEmitter } from '../util/TypedEmitter';
import type { TurnConfig } from '../config';
import type { Scheduler } from '../util/scheduler';
import { AgentDesk } from './AgentDesk';
import { Attendance } from './Attendance';
import { CallerLine } from './CallerLine';
import { GraceTimers } from './GraceTimers';
import { LobbyDriver } from './LobbyDriver';
import type { LobbyEngine } from './LobbyEngine';
import type { CallCenterEvents, CallRecords, Notify } from './ports';
import type { SessionDirectory } from './SessionDirectory';
import { SessionRegistry } from './SessionRegistry';
import { SessionDesk } from './SessionDesk';
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
}

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
  readonly #attendance: Attendance;
  readonly #participantWaits: GraceTimers;

  constructor(deps: CallCenterDeps) {
    super((event, error) => deps.log.error({ event, err: error }, 'call centre listener failed'));
    const log = deps.log.child({ module: 'calls' });
    const graceMs = deps.reconnectGraceMs ?? 30_000;
    const notify: Notify = (event, ...args) => this.safeEmit(event, ...args);
    this.sessions = new SessionRegistry({
      media: deps.media,
      scheduler: deps.scheduler,
      log: deps.log,
      ...(deps.directory && { directory: deps.directory }),
    });
    this.#driver = new LobbyDriver({
      engine: deps.engine,
      notify,
      onCallerLeft: (callerId) => this.callers.left(callerId),
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
      notify,
      scheduler: deps.scheduler,
      holds: new GraceTimers(deps.scheduler, graceMs),
      callbackHoldMs: deps.callbackHoldMs ?? 2 * 60 * 60_000,
      log,
    });
    this.volunteers = new VolunteerDesk({
      lobby: this.#driver,
      sessions: this.sessions,
      attendance: this.#attendance,
      records: deps.records,
      log,
    });
    this.agents = new AgentDesk({
      lobby: this.#driver,
      sessions: this.sessions,
      callers: this.callers,
      interpreters: this.volunteers,
      attendance: this.#attendance,
      records: deps.records,
      notify,
      scheduler: deps.scheduler,
      log,
      callbackJoinMs: CALLBACK_JOIN_MS,
    });
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
  overview(): LobbySnapshot & { sessions: number } {
    return { ...this.#driver.read.snapshot(), sessions: this.sessions.size };
  }

  close(): void {
    this.#driver.close();
    this.#participantWaits.clear();
    this.callers.clear();
    for (const s of this.sessions.all()) s.end('hangup');
  }
}
