import type { Namespace, Socket } from 'socket.io';
import type { Logger } from '../logger';
import type { Account, AccountRole } from '../store';
import type { SignalingContext } from './context';

interface StaffSocketData {
  account: Account;
}

/**
 * Only signed-in staff of one role may connect: the handshake must carry a session cookie of an
 * enabled, approved account of that role. Anything else is refused before any event is handled.
 */
export function requireStaff(nsp: Namespace, ctx: SignalingContext, role: AccountRole): void {
  nsp.use((socket, next) => {
    const who = ctx.auth.fromCookieHeader(socket.handshake.headers.cookie);
    if (!who) return next(new Error('unauthenticated'));
    if (who.role !== role) return next(new Error('forbidden'));
    ctx.store.accounts
      .findById(who.accountId)
      .then((account) => {
        // A disabled account loses access at once, whatever cookie it still holds.
        if (!account || account.disabled || !account.approved) return next(new Error('unauthenticated'));
        (socket.data as StaffSocketData).account = account;
        next();
      })
      .catch((err: unknown) => {
        ctx.log.error({ err }, 'staff handshake failed');
        next(new Error('internal'));
      });
  });
}

export function staffAccount(socket: Socket): Account {
  return (socket.data as StaffSocketData).account;
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
