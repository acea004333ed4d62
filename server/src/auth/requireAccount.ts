import { RelayError } from '../../../common/errors';
import type { Account, AccountRepository, AccountRole } from '../store';
import type { AuthSessions } from './AuthSessions';

/** What the check reads: the session table and the accounts (a narrow slice, so tests can fake it). */
export interface AccountGate {
  auth: Pick<AuthSessions, 'fromCookieHeader'>;
  store: { accounts: Pick<AccountRepository, 'findById'> };
}

/** Why an account is refused: `unauthenticated` (no live session) or `forbidden` (known, not allowed). */
export type AccountRefusal = RelayError<'unauthenticated' | 'forbidden'>;

/**
 * The one sign-in check for every staff route and socket namespace: the cookie header names a live
 * session of an account that exists, is not disabled, has one of `roles` and is approved. The
 * account is re-read each time, so disabling or revoking it takes effect at once.
 *
 * @throws AccountRefusal
 */
export async function requireAccount(
  gate: AccountGate,
  cookieHeader: string | undefined,
  roles: AccountRole | readonly AccountRole[],
): Promise<Account> {
  const session = await gate.auth.fromCookieHeader(cookieHeader);
  const account = session ? await gate.store.accounts.findById(session.accountId) : null;
  // A disabled account is treated as signed out: whatever cookie it holds is worth nothing.
  if (!account || account.disabled) throw refusal('unauthenticated', 'Not signed in.');
  const allowed: readonly AccountRole[] = typeof roles === 'string' ? [roles] : roles;
  if (!allowed.includes(account.role)) {
    throw refusal('forbidden', `Only ${allowed.join(' or ')} accounts may use this.`);
  }
  if (!account.approved) {
    throw refusal('forbidden', 'Your account is waiting for a supervisor’s approval.');
  }
  return account;
}

function refusal(code: 'unauthenticated' | 'forbidden', message: string): AccountRefusal {
  return new RelayError(code, message);
}
