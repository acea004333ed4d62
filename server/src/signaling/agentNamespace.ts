import type { Namespace } from 'socket.io';
import type { SignalingContext } from './context';
import { Responder, SignalingError } from './respond';
import { rooms } from './rooms';
import { registerSessionHandlers } from './sessionHandlers';

interface AgentSocketData {
  agentId: string;
}

/** Signed-in agents only: the handshake must carry a staff session cookie of an agent account. */
export function attachAgentNamespace(nsp: Namespace, ctx: SignalingContext): void {
  const { calls, auth, store, log } = ctx;
  nsp.use((socket, next) => {
    const who = auth.fromCookieHeader(socket.handshake.headers.cookie);
    if (!who) return next(new Error('unauthenticated'));
    if (who.role !== 'agent') return next(new Error('forbidden'));
    store.accounts
      .findById(who.accountId)
      .then((account) => {
        // A disabled account loses access at once, whatever cookie it still holds.
        if (!account || account.disabled) return next(new Error('unauthenticated'));
        (socket.data as AgentSocketData).agentId = account.id;
        calls.agentConnected({
          agentId: account.id,
          displayName: account.displayName,
          languages: account.languages,
        });
        next();
      })
      .catch((err: unknown) => {
        log.error({ err }, 'agent handshake failed');
        next(new Error('internal'));
      });
  });

  nsp.on('connection', (socket) => {
    const { agentId } = socket.data as AgentSocketData;
    const slog = log.child({ ns: 'agent', agentId });
    const responder = new Responder(socket, slog);
    void socket.join(rooms.agent(agentId));
    socket.emit('agent:presence', { presence: calls.presenceOf(agentId) });

    responder.on('agent:set-presence', ({ presence }) => {
      const current = calls.presenceOf(agentId);
      if (current === 'in-call' || current === 'wrap-up') {
        throw new SignalingError('invalid-state', `you cannot change presence while ${current}`);
      }
      const next = calls.setAgentPresence(agentId, presence);
      nsp.to(rooms.agent(agentId)).emit('agent:presence', { presence: next });
      return { presence: next };
    });

    responder.on('agent:accept-offer', async ({ offerId }) => {
      const result = await calls.acceptOffer(agentId, offerId);
      nsp.to(rooms.agent(agentId)).emit('agent:presence', { presence: 'in-call' });
      return result;
    });

    responder.on('agent:decline-offer', ({ offerId }) => {
      calls.declineOffer(agentId, offerId);
      return null;
    });

    responder.on('agent:wrap-up', async (input) => {
      const presence = await calls.wrapUp(agentId, input);
      nsp.to(rooms.agent(agentId)).emit('agent:presence', { presence });
      return { presence };
    });

    registerSessionHandlers(socket, responder, ctx, slog);

    socket.on('disconnect', () => {
      void nsp
        .in(rooms.agent(agentId))
        .fetchSockets()
        .then((left) => {
          if (left.length === 0) calls.agentDisconnected(agentId);
        });
    });
  });

  calls.on('agent-offer', (agentId, offer) => nsp.to(rooms.agent(agentId)).emit('agent:offer', offer));
  calls.on('agent-offer-ended', (agentId, offerId, reason) =>
    nsp.to(rooms.agent(agentId)).emit('agent:offer-ended', { offerId, reason }),
  );
  calls.on('agent-presence', (agentId, presence, reason) =>
    nsp.to(rooms.agent(agentId)).emit('agent:presence', reason ? { presence, reason } : { presence }),
  );
}
