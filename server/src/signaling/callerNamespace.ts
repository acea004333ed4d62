import type { Namespace } from 'socket.io';
import { newId } from '../sessions/tokens';
import type { SignalingContext } from './context';
import { Responder, SignalingError } from './respond';
import { rooms } from './rooms';
import { registerSessionHandlers } from './sessionHandlers';

/** Anonymous callers: join the line, wait, get a join token when an agent answers, then the call. */
export function attachCallerNamespace(nsp: Namespace, ctx: SignalingContext): void {
  const { calls, log } = ctx;
  nsp.on('connection', (socket) => {
    const slog = log.child({ ns: 'caller' });
    const responder = new Responder(socket, slog);
    const data = socket.data as { callerId?: string };

    responder.on('lobby:request', async ({ language, mode }) => {
      if (data.callerId && calls.isWaiting(data.callerId))
        throw new SignalingError('invalid-state', 'you are already waiting');
      if (!ctx.callLimiter.take(socket.handshake.address)) {
        throw new SignalingError('rate-limited', 'Too many calls from this address; please wait a minute.');
      }
      const callerId = newId();
      data.callerId = callerId;
      await socket.join(rooms.caller(callerId));
      return calls.requestCall(callerId, language, mode);
    });

    responder.on('lobby:cancel', () => {
      if (!data.callerId || !calls.isWaiting(data.callerId))
        throw new SignalingError('invalid-state', 'you are not waiting');
      calls.cancelCall(data.callerId, 'cancelled');
      return null;
    });

    registerSessionHandlers(socket, responder, ctx, slog);

    socket.on('disconnect', () => {
      // Reconnection to the line comes with the reconnect work; for now a vanished caller leaves it.
      if (data.callerId && calls.isWaiting(data.callerId)) calls.cancelCall(data.callerId, 'disconnected');
    });
  });

  calls.on('caller-position', (callerId, view) =>
    nsp.to(rooms.caller(callerId)).emit('lobby:position', view),
  );
  calls.on('caller-matched', (callerId, token) =>
    nsp.to(rooms.caller(callerId)).emit('lobby:matched', { token }),
  );
}
