import { newId } from '../sessions/tokens';
import type { SignalingContext } from './context';
import { clientAddress } from '../auth/clientAddress';
import { RelayError } from '../../../common/errors';
import { PositionFanout } from './PositionFanout';
import { Routes } from './respond';
import { rooms } from './rooms';
import { sessionRoutes } from './sessionHandlers';
import { whenRoomEmpty } from './staff';
import type { CallerNamespace, CallerSocket } from './types';

/** The caller's place in line, for messages that need one; else a clear refusal. */
function waitingId(socket: CallerSocket): string {
  if (!socket.data.callerId) throw new RelayError('invalid-state', 'you are not waiting');
  return socket.data.callerId;
}

/**
 * Anonymous callers: join the line, wait (and come back with a resume key after a blip, or later
 * for a callback), get a join token when an agent answers, then the call.
 */
export function attachCallerNamespace(nsp: CallerNamespace, ctx: SignalingContext): void {
  const { calls, control, log } = ctx;
  const positions = new PositionFanout((callerId, view) =>
    nsp.to(rooms.caller(callerId)).emit('lobby:position', view),
  );
  const bind = async (socket: CallerSocket, callerId: string) => {
    // A caller who calls again is a new place in line: what was still on its way for the old one
    // (their place before they hung up) must not reach them after the new place.
    const previous = socket.data.callerId;
    if (previous && previous !== callerId) {
      positions.forget(previous);
      await socket.leave(rooms.caller(previous));
    }
    socket.data.callerId = callerId;
    await socket.join(rooms.caller(callerId));
  };

  // One logger and one set of routes for every caller socket: thousands may wait connected at once.
  const slog = log.child({ ns: 'caller' });
  const routes = new Routes<CallerSocket>(ctx.onAck);
  // In-call messages first: a socket's call is let go before its place in line or presence.
  sessionRoutes(routes, ctx, slog, () => ({ role: 'caller', accountId: null }));
  routes
    .on('lobby:request', async ({ language, mode }, socket) => {
      if (ctx.draining()) {
        throw new RelayError(
          'draining',
          'this server is restarting for maintenance; please call again shortly',
        );
      }
      // Still in a live call (its room is left when the call ends or removes them): one at a time.
      const seat = socket.data.participant;
      if (seat && socket.rooms.has(rooms.session(seat.sessionId))) {
        throw new RelayError('invalid-state', 'you are in a call; hang up before calling again');
      }
      if (socket.data.callerId && (await control.call('callers.isWaiting', socket.data.callerId))) {
        throw new RelayError('invalid-state', 'you are already waiting');
      }
      if (!ctx.callLimiter.take(clientAddress(socket.request, ctx.trustProxy))) {
        throw new RelayError('rate-limited', 'Too many calls from this address; please wait a minute.');
      }
      const callerId = newId();
      await bind(socket, callerId);
      const place = await control.call('callers.request', callerId, language, mode);
      return mode === 'video' ? { ...place, routerRtpCapabilities: ctx.mediaCapabilities } : place;
    })
    .on('lobby:resume', async ({ resumeKey }, socket) => {
      const { callerId, result } = await control.call('callers.resume', resumeKey);
      await bind(socket, callerId);
      return result;
    })
    .on('lobby:cancel', async (_, socket) => {
      const callerId = waitingId(socket);
      await control.call('callers.cancel', callerId, 'cancelled');
      positions.forget(callerId);
      return null;
    })
    .on('lobby:choose-fallback', async ({ choice }, socket) => {
      await control.call('callers.chooseFallback', waitingId(socket), choice);
      return null;
    })
    .on('call:rate', async ({ surveyKey, rating }) => {
      await control.call('callers.rate', surveyKey, rating);
      return null;
    })
    .onDisconnect((socket) => {
      const callerId = socket.data.callerId;
      if (!callerId) return;
      // The same caller may already be back on a new connection; a caller already answered keeps no place.
      whenRoomEmpty(nsp, rooms.caller(callerId), log, () => {
        control
          .call('callers.disconnected', callerId)
          .catch((err: unknown) => log.error({ err, callerId }, 'could not hold a place in line'));
      });
    });
  nsp.on('connection', (socket) => routes.serve(socket, slog));

  calls.on('caller-position', (callerId, view) => positions.push(callerId, view));
  calls.on('caller-fallback', (callerId, view) =>
    nsp.to(rooms.caller(callerId)).emit('lobby:fallback', view),
  );
  calls.on('caller-requeued', (callerId, view) => {
    // An older place still waiting to go out must not follow the view that says they are back first.
    positions.forget(callerId);
    nsp.to(rooms.caller(callerId)).emit('lobby:requeued', view);
  });
  calls.on('caller-survey', (participantId, survey) =>
    nsp.to(rooms.participant(participantId)).emit('call:survey', survey),
  );
  calls.on('caller-matched', (callerId, token) => {
    // Answered: a place in line arriving after this would put the page back in the queue view.
    positions.forget(callerId);
    nsp.to(rooms.caller(callerId)).emit('lobby:matched', { token });
  });
}
