import { RelayError } from '../../../common/errors';
import type { ClientAcks, ClientMessage, Role } from '../../../common/protocol';
import type { TurnConfig } from '../config';
import type { Logger } from '../logger';
import { iceConfigFor } from '../media/turnCredentials';
import type { Scheduler } from '../util/scheduler';
import type { Attendance } from './Attendance';
import { type Joiner, requireBinding } from './joinBinding';
import type { Session } from './Session';
import type { SessionRegistry } from './SessionRegistry';
import type { VolunteerDesk } from './VolunteerDesk';

/** Who is asking, by our ids: the session and the participant a socket joined as. */
export interface CallSeat {
  sessionId: string;
  participantId: string;
}

export interface SessionDeskDeps {
  sessions: SessionRegistry;
  attendance: Attendance;
  volunteers: Pick<VolunteerDesk, 'requestInterpreter' | 'removeInterpreter' | 'interpreterHungUp'>;
  scheduler: Scheduler;
  log: Logger;
  /** TURN servers for browsers behind firewalls; null: none. */
  turn: TurnConfig | null;
}

/**
 * Everything a participant does inside a call, addressed by ids only (never by a Session object),
 * so that the socket asking need not live in the process that hosts the call.
 */
export class SessionDesk {
  constructor(private readonly deps: SessionDeskDeps) {}

  /**
   * Joins with a join token (first time, or back on a new socket): the call as the participant sees
   * it. `joiner` is who asks (their namespace's role, their account): the token must be theirs.
   * `current` is the seat the asking connection already holds: one call at a time. A refusal
   * changes nothing, so whoever holds the seat rightfully stays in the call.
   */
  async join(
    token: string,
    joiner: Joiner,
    current?: CallSeat | null,
  ): Promise<{ seat: CallSeat; joined: ClientAcks['session:join'] }> {
    const found = this.deps.sessions.byToken(token);
    if (!found || found.session.ended)
      throw new RelayError('forbidden', 'this join token is not valid for any call');
    const { session, participant } = found;
    requireBinding(participant, joiner);
    if (current && current.participantId !== participant.participantId && this.#isSeated(current)) {
      throw new RelayError('invalid-state', 'this connection is already in another call');
    }
    this.deps.attendance.joined(session, participant.participantId);
    return {
      seat: { sessionId: session.id, participantId: participant.participantId },
      joined: {
        sessionId: session.id,
        participantId: participant.participantId,
        role: participant.role,
        language: session.language,
        mode: session.mode,
        routerRtpCapabilities: session.media.rtpCapabilities,
        mediaId: session.media.callId,
        participants: session.participants.map((p) => session.view(p)),
        producers: await session.media.producersFor(participant.participantId),
        chat: [...session.chat],
        interpreter: session.interpreter,
      },
    };
  }

  /** Still a participant of a live call (not ended, not removed from it). */
  #isSeated(seat: CallSeat): boolean {
    return this.deps.sessions.get(seat.sessionId)?.participant(seat.participantId) !== undefined;
  }

  async restartMedia(seat: CallSeat): Promise<ClientAcks['media:restart']> {
    const session = this.#session(seat);
    session.media.resetParticipant(seat.participantId);
    return {
      producers: await session.media.producersFor(seat.participantId),
      routerRtpCapabilities: session.media.rtpCapabilities,
      mediaId: session.media.callId,
    };
  }

  chat(seat: CallSeat, text: string): ClientAcks['chat:send'] {
    return this.#session(seat).postMessage(seat.participantId, text, this.deps.scheduler.now());
  }

  draft(seat: CallSeat, text: string): void {
    this.#session(seat).updateDraft(seat.participantId, text);
  }

  /**
   * The caller or the agent ends the call for everyone. An interpreter's hang-up is leaving: the
   * others go on without them (the agent may ask for another interpreter).
   */
  async hangup(seat: CallSeat): Promise<void> {
    const session = this.#session(seat);
    const role = session.participant(seat.participantId)?.role;
    this.deps.log.info({ sessionId: session.id, by: role }, 'hang-up');
    if (role === 'interpreter') await this.deps.volunteers.interpreterHungUp(session, seat.participantId);
    // An agent who gives up on a caller who never came: the same no-show as when their wait lapses.
    else session.end(session.callerJoined ? 'hangup' : 'caller-no-show', role ?? 'system');
  }

  /**
   * A transport on the call's media host, with the TURN servers to reach it by. The credentials
   * are made here, where call control runs, not on the host: any node with the shared secret
   * makes valid ones, and each new transport (a rejoin, a media restart) gets fresh ones.
   */
  async createTransport(
    seat: CallSeat,
    direction: 'send' | 'recv',
  ): Promise<ClientAcks['media:create-transport']> {
    const transport = await this.#session(seat).media.createTransport(seat.participantId, direction);
    return { ...transport, ...iceConfigFor(this.deps.turn, seat.participantId, this.deps.scheduler.now()) };
  }

  async connectTransport(seat: CallSeat, p: ClientMessage<'media:connect-transport'>): Promise<void> {
    await this.#session(seat).media.connectTransport(seat.participantId, p.transportId, p.dtlsParameters);
  }

  async produce(seat: CallSeat, p: ClientMessage<'media:produce'>): Promise<ClientAcks['media:produce']> {
    const media = this.#session(seat).media;
    return {
      producerId: await media.produce(seat.participantId, p.transportId, p.kind, p.rtpParameters, p.source),
    };
  }

  consume(seat: CallSeat, p: ClientMessage<'media:consume'>): Promise<ClientAcks['media:consume']> {
    return this.#session(seat).media.consume(
      seat.participantId,
      p.transportId,
      p.producerId,
      p.rtpCapabilities,
    );
  }

  async resumeConsumer(seat: CallSeat, consumerId: string): Promise<void> {
    await this.#session(seat).media.resumeConsumer(seat.participantId, consumerId);
  }

  async setProducerPaused(seat: CallSeat, producerId: string, paused: boolean): Promise<void> {
    await this.#session(seat).media.setProducerPaused(seat.participantId, producerId, paused);
  }

  /** The agent asks for an interpreter during a two-way call (or for another language). */
  async requestInterpreter(seat: CallSeat, language?: string): Promise<void> {
    await this.deps.volunteers.requestInterpreter(this.#asRole(seat, 'agent'), language);
  }

  /** The agent takes the interpreter out of the call; with `replace`, other volunteers are rung. */
  async removeInterpreter(seat: CallSeat, replace: boolean): Promise<void> {
    await this.deps.volunteers.removeInterpreter(this.#asRole(seat, 'agent'), replace);
  }

  /** The participant's last socket went away: their grace period to come back starts. */
  dropped(seat: CallSeat): void {
    const session = this.deps.sessions.get(seat.sessionId);
    if (session) this.deps.attendance.dropped(session, seat.participantId);
  }

  /** The live call of this seat, still holding the participant; else a clear refusal. */
  #session(seat: CallSeat): Session {
    const session = this.deps.sessions.get(seat.sessionId);
    if (!session) throw new RelayError('forbidden', 'join a call first');
    if (session.ended) throw new RelayError('call-ended', 'the call has ended');
    if (!session.participant(seat.participantId))
      throw new RelayError('forbidden', 'you are no longer in this call');
    return session;
  }

  #asRole(seat: CallSeat, role: Role): Session {
    const session = this.#session(seat);
    if (session.participant(seat.participantId)?.role !== role) {
      throw new RelayError('forbidden', `only the ${role} of this call can do that`);
    }
    return session;
  }
}
