import type { RequestHandler, Response } from 'express';
import { RelayError } from '../../../common/errors';
import { type AccountGate, requireAccount as checkAccount } from '../auth/requireAccount';
import type { Account, AccountRole } from '../store';

/** Express middleware: only an account of `roles` that passes the one sign-in check gets past. */
export type RequireAccount = (roles: AccountRole | readonly AccountRole[]) => RequestHandler;

const ACCOUNT = 'account';

/**
 * Binds the sign-in check of `auth/requireAccount` to Express. A refusal goes to the error
 * middleware (401 or 403); otherwise the account is in `res.locals`, read with `accountOf(res)`.
 */
export function accountMiddleware(gate: AccountGate): RequireAccount {
  return (roles) => async (req, res, next) => {
    res.locals[ACCOUNT] = await checkAccount(gate, req.headers.cookie, roles);
    next();
  };
}

/** The account `requireAccount` let through on this request. */
export function accountOf(res: Response): Account {
  const account = res.locals[ACCOUNT] as Account | undefined;
  // Only a route mounted without requireAccount gets here: a bug of ours, not the client's.
  if (!account) throw new RelayError('internal', 'accountOf() on a route without requireAccount');
  return account;
}
