import type { Logger } from '../logger';
import type { CallCenter } from '../sessions/CallCenter';
import type { Session } from '../sessions/Session';
import type { SignalingContext } from './context';
import type { Responder } from './respond';
import { RelayError } from '../../../common/errors';
import { rooms } from './rooms';
import { whenRoomEmpty } from './staff';
import type { AnySocket, BoundParticipant, SessionNamespace } from './types';

/** The socket's place in a call, set by `session:join`. */
export function boundParticipant(socket: AnySocket): BoundParticipant | undefined {
  return socket.data.participant;
}

/** The live call this socket joined, as a participant still in it; else a clear refusal. */
export function boundSession(
  socket: AnySocket,
  calls: CallCenter,
): { session: Session; participantId: string } {
  const bound = boundParticipant(socket);
  const session = bound && calls.sessions.get(bound.sessionId);
  if (!bound || !session) throw new RelayError('forbidden', 'join a call first');
  if (session.ended) throw new RelayError('call-ended', 'the call has ended');
  if (!session.participant(bound.participantId))
    throw new RelayError('forbidden', 'you are no longer in this call');
  return { session, participantId: bound.participantId };
}

/** In-call messages, the same for every role: join with a token, then transports, produce, consume. */
export function registerSessionHandlers(
  socket: AnySocket,
  responder: Responder,
  ctx: SignalingContext,
  log: Logger,
): void {
  const { calls, textLimiter } = ctx;
  responder.on('session:join', async ({ token }) => {
    const found = calls.sessions.byToken(token);
    if (!found || found.session.ended)
      throw new RelayError('forbidden', 'this join token is not valid for any call');
    const { session, participant } = found;
    const previous = boundParticipant(socket);
    if (previous && previous.participantId !== participant.participantId) {
      // Still a participant of a live call (not ended, not removed from it): one call at a time.
      if (calls.sessions.get(previous.sessionId)?.participant(previous.participantId)) {
        throw new RelayError('invalid-state', 'this connection is already in another call');
      }
      await socket.leave(rooms.participant(previous.participantId));
    }
    socket.data.participant = {
      sessionId: session.id,
      participantId: participant.participantId,
    };
    await socket.join([rooms.session(session.id), rooms.participant(participant.participantId)]);
    calls.participantConnected(session, participant.participantId);
    return {
      sessionId: session.id,
      participantId: participant.participantId,
      role: participant.role,
      language: session.language,
      mode: session.mode,
      routerRtpCapabilities: session.media.rtpCapabilities,
      participants: session.participants.map((p) => session.view(p)),
      producers: session.media.producersFor(participant.participantId),
      chat: [...session.chat],
      interpreter: session.interpreter,
    };
  });

  responder.on('media:restart', () => {
    const { session, participantId } = boundSession(socket, calls);
    session.media.resetParticipant(participantId);
    return {
      producers: session.media.producersFor(participantId),
      routerRtpCapabilities: session.media.rtpCapabilities,
    };
  });

  responder.on('chat:send', ({ text }) => {
    const { session, participantId } = boundSession(socket, calls);
    if (!textLimiter.take(participantId)) throw new RelayError('rate-limited', 'Slow down a little.');
    return session.postMessage(participantId, text, ctx.clock());
  });

  responder.on('rtt:update', ({ text }) => {
    const { session, participantId } = boundSession(socket, calls);
    if (!textLimiter.take(participantId)) throw new RelayError('rate-limited', 'Slow down a little.');
    session.updateDraft(participantId, text);
    return null;
  });

  responder.on('session:hangup', () => {
    const { session, participantId } = boundSession(socket, calls);
    calls.endSession(session, session.participant(participantId)?.role ?? 'caller');
    return null;
  });

  responder.on('media:create-transport', async ({ direction }) => {
    const { session, participantId } = boundSession(socket, calls);
    return session.media.createTransport(participantId, direction);
  });

  responder.on('media:connect-transport', async ({ transportId, dtlsParameters }) => {
    const { session, participantId } = boundSession(socket, calls);
    await session.media.connectTransport(participantId, transportId, dtlsParameters);
    return null;
  });

  responder.on('media:produce', async ({ transportId, kind, rtpParameters, source }) => {
    const { session, participantId } = boundSession(socket, calls);
    const producerId = await session.media.produce(participantId, transportId, kind, rtpParameters, source);
    return { producerId };
  });

  responder.on('media:consume', async ({ transportId, producerId, rtpCapabilities }) => {
    const { session, participantId } = boundSession(socket, calls);
    return session.media.consume(participantId, transportId, producerId, rtpCapabilities);
  });

  responder.on('media:resume-consumer', async ({ consumerId }) => {
    const { session, participantId } = boundSession(socket, calls);
    await session.media.resumeConsumer(participantId, consumerId);
    return null;
  });

  responder.on('media:set-producer-paused', async ({ producerId, paused }) => {
    const { session, participantId } = boundSession(socket, calls);
    await session.media.setProducerPaused(participantId, producerId, paused);
    return null;
  });

  socket.on('disconnect', () => {
    const bound = boundParticipant(socket);
    const session = bound && calls.sessions.get(bound.sessionId);
    if (!bound || !session) return;
    // Another tab of the same participant may still be connected.
    whenRoomEmpty(socket.nsp, rooms.participant(bound.participantId), log, () =>
      calls.participantDisconnected(session, bound.participantId),
    );
  });
}

/** Relays one session's events to its participants, whichever namespace their sockets are in. */
export function broadcastSession(session: Session, namespaces: SessionNamespace[]): void {
  const toOthers = (participantId: string) =>
    namespaces.map((n) => n.to(rooms.session(session.id)).except(rooms.participant(participantId)));
  const toAll = () => namespaces.map((n) => n.to(rooms.session(session.id)));

  session.media.on('producer-added', (p) => {
    for (const t of toOthers(p.participantId)) t.emit('session:producer-added', p);
  });
  session.media.on('producer-closed', ({ producerId, participantId }) => {
    for (const t of toOthers(participantId)) t.emit('session:producer-closed', { producerId });
  });
  session.media.on('producer-paused', (p) => {
    for (const t of toOthers(p.participantId)) t.emit('session:producer-paused', p);
  });
  session.on('participant-joined', (p) => {
    for (const t of toOthers(p.participantId)) t.emit('session:participant-joined', session.view(p));
  });
  session.on('participant-removed', (p) => {
    // The removed participant's screens learn their part is over; the others see them leave.
    for (const n of namespaces) {
      n.to(rooms.participant(p.participantId)).emit('session:ended', { reason: 'removed' });
      n.in(rooms.participant(p.participantId)).socketsLeave(rooms.session(session.id));
    }
  });
  session.on('participant-left', (p) => {
    for (const t of toOthers(p.participantId))
      t.emit('session:participant-left', { participantId: p.participantId });
  });
  session.on('media-moved', () => {
    for (const t of toAll()) t.emit('session:media-restart');
  });
  session.on('interpreter', (status) => {
    for (const t of toAll()) t.emit('session:interpreter', status);
  });
  session.on('chat-message', (m) => {
    for (const t of toAll()) t.emit('chat:message', m);
  });
  session.on('rtt-draft', (d) => {
    for (const t of toOthers(d.participantId)) t.emit('rtt:draft', d);
  });
  session.once('ended', (reason) => {
    for (const t of toAll()) t.emit('session:ended', { reason });
    for (const n of namespaces) n.in(rooms.session(session.id)).socketsLeave(rooms.session(session.id));
  });
}
