/** Staff sign-in over the HTTP API (an HttpOnly cookie carries the session). */
export interface Account {
  id: string;
  displayName: string;
  role: 'agent' | 'supervisor' | 'volunteer';
  languages: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
    credentials: 'same-origin',
  });
  const body = (await res.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
  if (!res.ok)
    throw new ApiError(res.status, body.error?.code ?? 'internal', body.error?.message ?? res.statusText);
  return body;
}

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
