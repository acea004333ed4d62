import { RelayError } from '../../../common/errors';
import type { AuthSessions, StaffIdentity } from '../auth/AuthSessions';
import { admit } from '../auth/requireAccount';
import type { Logger } from '../logger';
import type { Account, AccountRole, Store } from '../store';
import type { Scheduler, Timer } from '../util/scheduler';
import type { AgentNamespace, VolunteerNamespace } from './types';

/**
 * How often this node re-checks the sign-ins behind its staff sockets. The accounts CLI is another
 * process writing the same database, so nobody can tell this node that an account was disabled:
 * it asks. Two seconds bounds how long a disabled account keeps a live socket, for the price of one
 * account query (and one session read per signed-in browser) every two seconds.
 */
export const ACCOUNT_RECHECK_MS = 2000;

export interface WatchedNamespace {
  nsp: AgentNamespace | VolunteerNamespace;
  role: AccountRole;
}

export interface AccountWatchDeps {
  auth: Pick<AuthSessions, 'get' | 'destroy' | 'cookieIdFrom'>;
  store: { accounts: Pick<Store['accounts'], 'findByIds'> };
  scheduler: Scheduler;
  log: Logger;
}

/**
 * Staff sockets stay connected only while their sign-in passes the same check as at connect
 * (`admit`): every ACCOUNT_RECHECK_MS this node re-reads the session and the account behind each of
 * its own staff sockets, and disconnects the sockets that no longer pass (account disabled or its
 * approval revoked, password changed or signed out everywhere, signed out, session expired). A
 * session that is void is also removed, so the HTTP side refuses it without asking the account.
 * A socket in a call is lost like any dropped one: the call's grace logic decides what follows.
 */
export function watchStaffSockets(namespaces: readonly WatchedNamespace[], deps: AccountWatchDeps) {
  const { scheduler, log } = deps;
  let timer: Timer | null = null;
  let closed = false;
  const schedule = () => {
    if (closed) return;
    timer = scheduler.after(ACCOUNT_RECHECK_MS, () => {
      // One check at a time: the next is set only once this one is done.
      recheckStaffSockets(namespaces, deps)
        .catch((err: unknown) => log.error({ err }, 'could not re-check staff sign-ins'))
        .finally(schedule);
    });
  };
  schedule();
  return {
    close(): void {
      closed = true;
      timer?.cancel();
    },
  };
}

/** One pass: disconnects this node's staff sockets whose sign-in no longer passes. Returns how many. */
export async function recheckStaffSockets(
  namespaces: readonly WatchedNamespace[],
  deps: Omit<AccountWatchDeps, 'scheduler'>,
): Promise<number> {
  const live = namespaces.flatMap(({ nsp, role }) =>
    [...nsp.sockets.values()].map((socket) => ({
      socket,
      role,
      sessionId: deps.auth.cookieIdFrom(socket.handshake.headers.cookie),
    })),
  );
  if (live.length === 0) return 0;
  const sessionIds = [...new Set(live.flatMap((s) => (s.sessionId ? [s.sessionId] : [])))];
  const sessions = new Map<string, StaffIdentity | null>(
    await Promise.all(sessionIds.map(async (id) => [id, await deps.auth.get(id)] as const)),
  );
  const accountIds = [...sessions.values()].flatMap((s) => (s ? [s.accountId] : []));
  const accounts = new Map<string, Account>(
    (await deps.store.accounts.findByIds(accountIds)).map((a) => [a.id, a]),
  );
  let dropped = 0;
  const voided = new Set<string>();
  for (const { socket, role, sessionId } of live) {
    const session = (sessionId && sessions.get(sessionId)) || null;
    try {
      admit(session, session ? (accounts.get(session.accountId) ?? null) : null, role);
    } catch (err) {
      if (!(err instanceof RelayError)) throw err;
      if (socket.disconnected) continue;
      log(deps.log, socket.data.account, err);
      // Told first, so the page can say why instead of showing a lost connection.
      socket.emit('auth:signed-out', { code: err.code });
      socket.disconnect(true);
      dropped++;
      if (sessionId && session && err.code === 'unauthenticated') voided.add(sessionId);
    }
  }
  await Promise.all([...voided].map((id) => deps.auth.destroy(id)));
  return dropped;
}

function log(logger: Logger, account: Account, err: RelayError): void {
  logger.info(
    { accountId: account.id, role: account.role, code: err.code, reason: err.message },
    'staff socket disconnected: its sign-in has ended',
  );
}
