import type { SignalingContext } from './context';
import { Responder } from './respond';
import { rooms } from './rooms';
import { registerSessionHandlers, seatOf } from './sessionHandlers';
import { requireStaff, staffAccount, whenRoomEmpty } from './staff';
import type { AgentNamespace } from './types';

/** Signed-in agents: presence, offers, the call, wrap-up, and the interpreter of their call. */
export function attachAgentNamespace(nsp: AgentNamespace, ctx: SignalingContext): void {
  const { calls, control, log } = ctx;
  requireStaff(nsp, ctx, 'agent');

  nsp.on('connection', (socket) => {
    const account = staffAccount(socket);
    const agentId = account.id;
    const slog = log.child({ ns: 'agent', agentId });
    const responder = new Responder(socket, slog, ctx.onAck);
    // Messages wait until the agent is known to the lobby. Every tab hears each presence change
    // from the lobby's own events; the acks answer the tab that asked.
    responder.after(setUp());
    async function setUp(): Promise<void> {
      await socket.join(rooms.agent(agentId));
      const presence = await control.call('agents.connected', {
        id: agentId,
        displayName: account.displayName,
        languages: account.languages,
        shift: account.shift,
      });
      socket.emit('agent:presence', { presence });
    }

    responder.on('agent:set-presence', (input) =>
      input.presence === 'away'
        ? control.call('agents.setPresence', agentId, 'away', input.reason)
        : control.call('agents.setPresence', agentId, input.presence),
    );

    responder.on('agent:accept-offer', ({ offerId }) => control.call('agents.acceptOffer', agentId, offerId));

    responder.on('agent:decline-offer', async ({ offerId }) => {
      await control.call('agents.declineOffer', agentId, offerId);
      return null;
    });

    responder.on('agent:wrap-up', async (input) => ({
      presence: await control.call('agents.wrapUp', agentId, input),
    }));

    responder.on('agent:request-interpreter', async ({ language }) => {
      await control.call('inCall.requestInterpreter', seatOf(socket), language);
      return null;
    });

    responder.on('agent:remove-interpreter', async ({ replace }) => {
      await control.call('inCall.removeInterpreter', seatOf(socket), replace);
      return null;
    });

    registerSessionHandlers(socket, responder, ctx, slog, { role: 'agent', accountId: agentId });

    socket.on('disconnect', () =>
      whenRoomEmpty(nsp, rooms.agent(agentId), slog, () => {
        control
          .call('agents.disconnected', agentId)
          .catch((err: unknown) => slog.error({ err }, 'could not set an agent offline'));
      }),
    );
  });

  calls.on('agent-offer', (agentId, offer) =>
    nsp
      .to(rooms.agent(agentId))
      .emit(
        'agent:offer',
        offer.mode === 'video' ? { ...offer, routerRtpCapabilities: ctx.mediaCapabilities } : offer,
      ),
  );
  calls.on('agent-offer-ended', (agentId, offerId, reason) =>
    nsp.to(rooms.agent(agentId)).emit('agent:offer-ended', { offerId, reason }),
  );
  calls.on('agent-presence', (agentId, presence, reason) =>
    nsp.to(rooms.agent(agentId)).emit('agent:presence', reason ? { presence, reason } : { presence }),
  );
}
