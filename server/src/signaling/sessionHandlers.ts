import type { Logger } from '../logger';
import type { Participant, Session } from '../sessions/Session';
import type { SignalingContext } from './context';
import type { Routes } from './respond';
import { RelayError } from '../../../common/errors';
import { rooms } from './rooms';
import { whenRoomEmpty } from './staff';
import type { Joiner } from '../sessions/joinBinding';
import type { CallSeat } from '../sessions/SessionDesk';
import type { AnySocket, SessionNamespace } from './types';

/** The socket's place in a call, set by `session:join`; else a clear refusal. */
export function seatOf(socket: AnySocket): CallSeat {
  const seat = socket.data.participant;
  if (!seat) throw new RelayError('forbidden', 'join a call first');
  return seat;
}

/**
 * In-call messages, the same for every role: join with a token, then transports, produce, consume.
 * `joinerOf` says who a socket is (its namespace's role, its signed-in account): a join token is
 * accepted only from the participant it was issued to.
 */
export function sessionRoutes<S extends AnySocket>(
  routes: Routes<S>,
  ctx: SignalingContext,
  log: Logger,
  joinerOf: (socket: S) => Joiner,
): void {
  const { textLimiter, control } = ctx;
  const overlap = { overlap: true };
  routes
    .on('session:join', async ({ token }, socket) => {
      const previous = socket.data.participant;
      // JSON has no undefined: a forwarded call carries "no seat yet" as null.
      const { seat, joined } = await control.call('inCall.join', token, joinerOf(socket), previous ?? null);
      // A seat in a call that is over (or that removed this participant) is left behind.
      if (previous && previous.participantId !== seat.participantId) {
        await socket.leave(rooms.participant(previous.participantId));
      }
      socket.data.participant = seat;
      await socket.join([rooms.session(seat.sessionId), rooms.participant(seat.participantId)]);
      return joined;
    })
    .on('media:restart', (_, socket) => control.call('inCall.restartMedia', seatOf(socket)))
    .on('chat:send', ({ text }, socket) => {
      const seat = seatOf(socket);
      if (!textLimiter.take(seat.participantId)) throw new RelayError('rate-limited', 'Slow down a little.');
      return control.call('inCall.chat', seat, text);
    })
    .on('rtt:update', async ({ text }, socket) => {
      const seat = seatOf(socket);
      if (!textLimiter.take(seat.participantId)) throw new RelayError('rate-limited', 'Slow down a little.');
      await control.call('inCall.draft', seat, text);
      return null;
    })
    .on('session:hangup', async (_, socket) => {
      await control.call('inCall.hangup', seatOf(socket));
      return null;
    })
    // A call's set-up sends these in a burst (both transports, connect them, produce camera and
    // microphone, consume each other track, resume each consumer): one waiting on another's worker
    // round trip only delayed the first frame. Each still starts after every message sent before it
    // (the join, the transports it names: the client sends those first and waits for their answers).
    .on(
      'media:create-transport',
      ({ direction }, socket) => control.call('inCall.createTransport', seatOf(socket), direction),
      overlap,
    )
    .on(
      'media:connect-transport',
      async (payload, socket) => {
        await control.call('inCall.connectTransport', seatOf(socket), payload);
        return null;
      },
      overlap,
    )
    .on(
      'media:produce',
      (payload, socket) => control.call('inCall.produce', seatOf(socket), payload),
      overlap,
    )
    .on(
      'media:consume',
      (payload, socket) => control.call('inCall.consume', seatOf(socket), payload),
      overlap,
    )
    .on(
      'media:resume-consumer',
      async ({ consumerId }, socket) => {
        await control.call('inCall.resumeConsumer', seatOf(socket), consumerId);
        return null;
      },
      overlap,
    )
    .on('media:set-producer-paused', async ({ producerId, paused }, socket) => {
      await control.call('inCall.setProducerPaused', seatOf(socket), producerId, paused);
      return null;
    })
    .onDisconnect((socket) => {
      const seat = socket.data.participant;
      if (!seat) return;
      // Another tab of the same participant may still be connected.
      whenRoomEmpty(socket.nsp, rooms.participant(seat.participantId), log, () => {
        control
          .call('inCall.dropped', seat)
          .catch((err: unknown) => log.error({ err, seat }, 'could not start a grace period'));
      });
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
  const who = (p: Participant) => ({ participantId: p.participantId, role: p.role });
  session.on('participant-joined', (p) => {
    for (const t of toOthers(p.participantId)) t.emit('session:participant-joined', session.view(p));
  });
  // Told at once, so nobody talks on to a screen that has gone: and again when they are back.
  session.on('participant-away', (p) => {
    for (const t of toOthers(p.participantId)) t.emit('session:participant-away', who(p));
  });
  session.on('participant-back', (p) => {
    for (const t of toOthers(p.participantId)) t.emit('session:participant-back', who(p));
  });
  session.on('participant-removed', (p, reason) => {
    // The removed participant's screens learn their part is over (and why); the others see them leave.
    for (const n of namespaces) {
      n.to(rooms.participant(p.participantId)).emit('session:ended', { reason });
      n.in(rooms.participant(p.participantId)).socketsLeave(rooms.session(session.id));
    }
    for (const t of toOthers(p.participantId)) t.emit('session:participant-left', who(p));
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
