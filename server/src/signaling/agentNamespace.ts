import type { SignalingContext } from './context';
import { Responder, SignalingError } from './respond';
import { rooms } from './rooms';
import { boundSession, registerSessionHandlers } from './sessionHandlers';
import { requireStaff, staffAccount, whenRoomEmpty } from './staff';
import type { AgentNamespace } from './types';

/** Signed-in agents: presence, offers, the call, wrap-up, and the interpreter of their call. */
export function attachAgentNamespace(nsp: AgentNamespace, ctx: SignalingContext): void {
  const { calls, log } = ctx;
  requireStaff(nsp, ctx, 'agent');

  nsp.on('connection', (socket) => {
    const account = staffAccount(socket);
    const agentId = account.id;
    const slog = log.child({ ns: 'agent', agentId });
    const responder = new Responder(socket, slog);
    calls.agentConnected({ id: agentId, displayName: account.displayName, languages: account.languages });
    void socket.join(rooms.agent(agentId));
    socket.emit('agent:presence', { presence: calls.presenceOf(agentId) });

    responder.on('agent:set-presence', ({ presence }) => {
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

    responder.on('agent:request-interpreter', ({ language }) => {
      calls.interpreters.requestInterpreter(agentSession(), language);
      return null;
    });

    responder.on('agent:remove-interpreter', ({ replace }) => {
      calls.interpreters.removeInterpreter(agentSession(), replace);
      return null;
    });

    /** The call this socket is in as its agent. */
    const agentSession = () => {
      const { session, participantId } = boundSession(socket, calls);
      if (session.participant(participantId)?.role !== 'agent') {
        throw new SignalingError('forbidden', 'only the agent of this call can do that');
      }
      return session;
    };

    registerSessionHandlers(socket, responder, ctx, slog);

    socket.on('disconnect', () =>
      whenRoomEmpty(nsp, rooms.agent(agentId), slog, () => calls.agentDisconnected(agentId)),
    );
  });

  calls.on('agent-offer', (agentId, offer) => nsp.to(rooms.agent(agentId)).emit('agent:offer', offer));
  calls.on('agent-offer-ended', (agentId, offerId, reason) =>
    nsp.to(rooms.agent(agentId)).emit('agent:offer-ended', { offerId, reason }),
  );
  calls.on('agent-presence', (agentId, presence, reason) =>
    nsp.to(rooms.agent(agentId)).emit('agent:presence', reason ? { presence, reason } : { presence }),
  );
}
