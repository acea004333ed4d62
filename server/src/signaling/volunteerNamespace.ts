import type { SignalingContext } from './context';
import { Responder } from './respond';
import { rooms } from './rooms';
import { registerSessionHandlers } from './sessionHandlers';
import { requireStaff, staffAccount, whenRoomEmpty } from './staff';
import type { VolunteerNamespace } from './types';

/** Signed-in, approved volunteers: online or away, invitations (first to accept wins), the call. */
export function attachVolunteerNamespace(nsp: VolunteerNamespace, ctx: SignalingContext): void {
  const { calls, control, log } = ctx;
  requireStaff(nsp, ctx, 'volunteer');

  nsp.on('connection', (socket) => {
    const account = staffAccount(socket);
    const volunteerId = account.id;
    const slog = log.child({ ns: 'volunteer', volunteerId });
    const responder = new Responder(socket, slog, ctx.onAck);
    registerSessionHandlers(socket, responder, ctx, slog, { role: 'interpreter', accountId: volunteerId });

    // Every tab hears the change from the lobby's presence event; the ack answers this one.
    responder.on('volunteer:set-presence', ({ presence }) =>
      control.call('volunteers.setPresence', volunteerId, presence),
    );

    responder.on('volunteer:accept-invitation', ({ invitationId }) =>
      control.call('volunteers.acceptInvitation', volunteerId, invitationId),
    );

    responder.on('volunteer:decline-invitation', async ({ invitationId }) => {
      await control.call('volunteers.declineInvitation', volunteerId, invitationId);
      return null;
    });

    socket.on('disconnect', () =>
      whenRoomEmpty(nsp, rooms.volunteer(volunteerId), slog, () => {
        control
          .call('volunteers.disconnected', volunteerId)
          .catch((err: unknown) => slog.error({ err }, 'could not set a volunteer offline'));
      }),
    );

    // Messages wait until the volunteer is known to the lobby (their hours come from the store).
    responder.after(setUp());
    async function setUp(): Promise<void> {
      const profile = await ctx.store.volunteers.getProfile(volunteerId);
      await socket.join(rooms.volunteer(volunteerId));
      const status = await control.call('volunteers.connected', {
        id: volunteerId,
        displayName: account.displayName,
        languages: profile?.languages.map((l) => l.tag) ?? account.languages,
        weeklyHours: profile?.weeklyHours ?? [],
      });
      socket.emit('volunteer:presence', status);
    }
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
