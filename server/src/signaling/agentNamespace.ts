import type { SignalingContext } from './context';
import { Routes } from './respond';
import { rooms } from './rooms';
import { seatOf, sessionRoutes } from './sessionHandlers';
import { requireStaff, staffAccount, whenRoomEmpty } from './staff';
import type { AgentNamespace, StaffSocket } from './types';

/** Signed-in agents: presence, offers, the call, wrap-up, and the interpreter of their call. */
export function attachAgentNamespace(nsp: AgentNamespace, ctx: SignalingContext): void {
  const { calls, control, log } = ctx;
  requireStaff(nsp, ctx, 'agent');

  const idOf = (socket: StaffSocket) => staffAccount(socket).id;
  const routes = new Routes<StaffSocket>(ctx.onAck);
  // In-call messages first: a socket's call is let go before its place in line or presence.
  sessionRoutes(routes, ctx, log, (socket) => ({ role: 'agent', accountId: idOf(socket) }));
  routes
    .on('agent:set-presence', (input, socket) =>
      input.presence === 'away'
        ? control.call('agents.setPresence', idOf(socket), 'away', input.reason)
        : control.call('agents.setPresence', idOf(socket), input.presence),
    )
    .on('agent:accept-offer', ({ offerId }, socket) =>
      control.call('agents.acceptOffer', idOf(socket), offerId),
    )
    .on('agent:decline-offer', async ({ offerId }, socket) => {
      await control.call('agents.declineOffer', idOf(socket), offerId);
      return null;
    })
    .on('agent:wrap-up', async (input, socket) => ({
      presence: await control.call('agents.wrapUp', idOf(socket), input),
    }))
    .on('agent:request-interpreter', async ({ language }, socket) => {
      await control.call('inCall.requestInterpreter', seatOf(socket), language);
      return null;
    })
    .on('agent:remove-interpreter', async ({ replace }, socket) => {
      await control.call('inCall.removeInterpreter', seatOf(socket), replace);
      return null;
    })
    .onDisconnect((socket) => {
      const agentId = idOf(socket);
      whenRoomEmpty(nsp, rooms.agent(agentId), log, () => {
        control
          .call('agents.disconnected', agentId)
          .catch((err: unknown) => log.error({ err, agentId }, 'could not set an agent offline'));
      });
    });

  nsp.on('connection', (socket) => {
    const account = staffAccount(socket);
    // Messages wait until the agent is known to the lobby. Every tab hears each presence change
    // from the lobby's own events; the acks answer the tab that asked.
    const setUp = async (): Promise<void> => {
      await socket.join(rooms.agent(account.id));
      const presence = await control.call('agents.connected', {
        id: account.id,
        displayName: account.displayName,
        languages: account.languages,
        shift: account.shift,
      });
      socket.emit('agent:presence', { presence });
    };
    routes.serve(socket, log.child({ ns: 'agent', agentId: account.id }), setUp());
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
