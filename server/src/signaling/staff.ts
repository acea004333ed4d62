import type { Namespace } from 'socket.io';
import { RelayError } from '../../../common/errors';
import { requireAccount } from '../auth/requireAccount';
import type { Logger } from '../logger';
import type { Account, AccountRole } from '../store';
import type { SignalingContext } from './context';
import type { AgentNamespace, StaffSocket, VolunteerNamespace } from './types';

/**
 * Only signed-in staff of one role may connect: the handshake passes the same check as every staff
 * HTTP route (`auth/requireAccount`). Anything else is refused before any event is handled, with an
 * Error whose message is the code (`unauthenticated`, `forbidden`): the client shows `errors.<code>`.
 */
export function requireStaff(
  nsp: AgentNamespace | VolunteerNamespace,
  ctx: SignalingContext,
  role: AccountRole,
): void {
  nsp.use((socket, next) => {
    requireAccount(ctx, socket.handshake.headers.cookie, role).then(
      (account) => {
        socket.data.account = account;
        next();
      },
      (err: unknown) => {
        if (err instanceof RelayError && err.code !== 'internal') return next(new Error(err.code));
        ctx.log.error({ err }, 'staff handshake failed');
        next(new Error('internal'));
      },
    );
  });
}

export function staffAccount(socket: StaffSocket): Account {
  return socket.data.account;
}

/** Runs `then` once the last socket in `room` has gone (a member may have several tabs open). */
export function whenRoomEmpty(nsp: Namespace, room: string, log: Logger, then: () => void): void {
  nsp
    .in(room)
    .fetchSockets()
    .then((left) => {
      if (left.length === 0) then();
    })
    .catch((err: unknown) => log.error({ err, room }, 'room bookkeeping failed'));
}
