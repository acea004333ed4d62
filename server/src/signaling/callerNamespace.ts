import { newId } from '../sessions/tokens';
import type { SignalingContext } from './context';
import { clientAddress } from '../auth/clientAddress';
import { RelayError } from '../../../common/errors';
import { PositionFanout } from './PositionFanout';
import { Responder } from './respond';
import { rooms } from './rooms';
import { registerSessionHandlers } from './sessionHandlers';
import { whenRoomEmpty } from './staff';
import type { CallerNamespace, CallerSocket } from './types';

/**
 * Anonymous callers: join the line, wait (and come back with a resume key after a blip, or later
 * for a callback), get a join token when an agent answers, then the call.
 */
export function attachCallerNamespace(nsp: CallerNamespace, ctx: SignalingContext): void {
  const { calls, control, log } = ctx;
  const bind = async (socket: CallerSocket, callerId: string) => {
    socket.data.callerId = callerId;
    await socket.join(rooms.caller(callerId));
  };

  // One logger for every caller socket (a child per connection was ~0.3 KB each, times thousands waiting).
  const slog = log.child({ ns: 'caller' });
  nsp.on('connection', (socket) => {
    const responder = new Responder(socket, slog, ctx.onAck);
    const data = socket.data;

    responder.on('lobby:request', async ({ language, mode }) => {
      if (ctx.draining()) {
        throw new RelayError(
          'draining',
          'this server is restarting for maintenance; please call again shortly',
        );
      }
      // Still in a live call (its room is left when the call ends or removes them): one at a time.
      const seat = data.participant;
      if (seat && socket.rooms.has(rooms.session(seat.sessionId))) {
        throw new RelayError('invalid-state', 'you are in a call; hang up before calling again');
      }
      if (data.callerId && (await control.call('callers.isWaiting', data.callerId))) {
        throw new RelayError('invalid-state', 'you are already waiting');
      }
      if (!ctx.callLimiter.take(clientAddress(socket.request, ctx.trustProxy))) {
        throw new RelayError('rate-limited', 'Too many calls from this address; please wait a minute.');
      }
      const callerId = newId();
      await bind(socket, callerId);
      const place = await control.call('callers.request', callerId, language, mode);
      return mode === 'video' ? { ...place, routerRtpCapabilities: ctx.mediaCapabilities } : place;
    });

    responder.on('lobby:resume', async ({ resumeKey }) => {
      const { callerId, result } = await control.call('callers.resume', resumeKey);
      await bind(socket, callerId);
      return result;
    });

    responder.on('lobby:cancel', async () => {
      if (!data.callerId) throw new RelayError('invalid-state', 'you are not waiting');
      await control.call('callers.cancel', data.callerId, 'cancelled');
      return null;
    });

    responder.on('lobby:choose-fallback', async ({ choice }) => {
      if (!data.callerId) throw new RelayError('invalid-state', 'you are not waiting');
      await control.call('callers.chooseFallback', data.callerId, choice);
      return null;
    });

    responder.on('call:rate', async ({ surveyKey, rating }) => {
      await control.call('callers.rate', surveyKey, rating);
      return null;
    });

    registerSessionHandlers(socket, responder, ctx, slog, { role: 'caller', accountId: null });

    socket.on('disconnect', () => {
      const callerId = data.callerId;
      if (!callerId) return;
      // The same caller may already be back on a new connection; a caller already answered keeps no place.
      whenRoomEmpty(nsp, rooms.caller(callerId), log, () => {
        control
          .call('callers.disconnected', callerId)
          .catch((err: unknown) => log.error({ err, callerId }, 'could not hold a place in line'));
      });
    });
  });

  const positions = new PositionFanout((callerId, view) =>
    nsp.to(rooms.caller(callerId)).emit('lobby:position', view),
  );
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
