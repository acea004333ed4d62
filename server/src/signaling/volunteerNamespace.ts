import type { SignalingContext } from './context';
import { Routes } from './respond';
import { rooms } from './rooms';
import { sessionRoutes } from './sessionHandlers';
import { requireStaff, staffAccount, whenRoomEmpty } from './staff';
import type { StaffSocket, VolunteerNamespace } from './types';

/** Signed-in, approved volunteers: online or away, invitations (first to accept wins), the call. */
export function attachVolunteerNamespace(nsp: VolunteerNamespace, ctx: SignalingContext): void {
  const { calls, control, log } = ctx;
  requireStaff(nsp, ctx, 'volunteer');

  const idOf = (socket: StaffSocket) => staffAccount(socket).id;
  const routes = new Routes<StaffSocket>(ctx.onAck);
  // In-call messages first: a socket's call is let go before its place in line or presence.
  sessionRoutes(routes, ctx, log, (socket) => ({ role: 'interpreter', accountId: idOf(socket) }));
  routes
    // Every tab hears the change from the lobby's presence event; the ack answers this one.
    .on('volunteer:set-presence', ({ presence }, socket) =>
      control.call('volunteers.setPresence', idOf(socket), presence),
    )
    .on('volunteer:accept-invitation', ({ invitationId }, socket) =>
      control.call('volunteers.acceptInvitation', idOf(socket), invitationId),
    )
    .on('volunteer:decline-invitation', async ({ invitationId }, socket) => {
      await control.call('volunteers.declineInvitation', idOf(socket), invitationId);
      return null;
    })
    .onDisconnect((socket) => {
      const volunteerId = idOf(socket);
      whenRoomEmpty(nsp, rooms.volunteer(volunteerId), log, () => {
        control
          .call('volunteers.disconnected', volunteerId)
          .catch((err: unknown) => log.error({ err, volunteerId }, 'could not set a volunteer offline'));
      });
    });

  nsp.on('connection', (socket) => {
    const account = staffAccount(socket);
    // Messages wait until the volunteer is known to the lobby (their hours come from the store).
    const setUp = async (): Promise<void> => {
      const profile = await ctx.store.volunteers.getProfile(account.id);
      await socket.join(rooms.volunteer(account.id));
      const status = await control.call('volunteers.connected', {
        id: account.id,
        displayName: account.displayName,
        languages: profile?.languages.map((l) => l.tag) ?? account.languages,
        weeklyHours: profile?.weeklyHours ?? [],
      });
      socket.emit('volunteer:presence', status);
    };
    routes.serve(socket, log.child({ ns: 'volunteer', volunteerId: account.id }), setUp());
  });

  calls.on('volunteer-invitation', (id, invitation) =>
    nsp
      .to(rooms.volunteer(id))
      .emit('volunteer:invitation', { ...invitation, routerRtpCapabilities: ctx.mediaCapabilities }),
  );
  calls.on('volunteer-invitation-ended', (id, invitationId, reason) =>
    nsp.to(rooms.volunteer(id)).emit('volunteer:invitation-ended', { invitationId, reason }),
  );
  calls.on('volunteer-presence', (id, status) =>
    nsp.to(rooms.volunteer(id)).emit('volunteer:presence', status),
  );
}
