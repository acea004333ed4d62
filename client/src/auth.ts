/** Staff sign-in over the HTTP API (an HttpOnly cookie carries the session). */
import { api } from './api';

export interface Account {
  id: string;
  displayName: string;
  role: 'agent' | 'supervisor' | 'volunteer';
  languages: string[];
}

/** @throws RequestError: `unauthenticated` (wrong password), `forbidden` (not approved yet), `rate-limited`… */
export async function signIn(username: string, password: string): Promise<Account> {
  const { account } = await api<{ account: Account }>('/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ username, password }),
  });
  return account;
}

/** The signed-in account, or null. */
export async function currentAccount(): Promise<Account | null> {
  return api<{ account: Account }>('/api/auth/me')
    .then(({ account }) => account)
    .catch(() => null);
}

export async function signOut(): Promise<void> {
  await api('/api/auth/logout', { method: 'POST', body: '{}' }).catch(() => undefined);
}
