import { RelayError } from '../../../common/errors';
import type { Account, AccountRepository, AccountRole } from '../store';
import type { AuthSessions, StaffIdentity } from './AuthSessions';

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
  return admit(session, account, roles);
}

/**
 * The check itself, on a session and its account already read: what `requireAccount` decides, and
 * what the periodic re-check of live sockets decides for many at once.
 *
 * @throws AccountRefusal
 */
export function admit(
  session: StaffIdentity | null,
  account: Account | null,
  roles: AccountRole | readonly AccountRole[],
): Account {
  // A disabled account is treated as signed out: whatever cookie it holds is worth nothing. So is
  // a session from before the account's sign-ins were ended (a password change, sign out everywhere).
  if (!session || !account || account.id !== session.accountId || account.disabled) {
    throw refusal('unauthenticated', 'Not signed in.');
  }
  if (session.generation !== account.sessionGeneration) {
    throw refusal('unauthenticated', 'This sign-in has been ended; sign in again.');
  }
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
