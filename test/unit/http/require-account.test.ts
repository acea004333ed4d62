import { describe, expect, it } from 'vitest';
import { RelayError } from '../../../common/errors';
import { AuthSessions, SESSION_COOKIE } from '../../../server/src/auth/AuthSessions';
import { requireAccount } from '../../../server/src/auth/requireAccount';
import type { Account, AccountRole } from '../../../server/src/store';

function account(id: string, role: AccountRole, flags: Partial<Account> = {}): Account {
  return {
    id,
    username: id,
    displayName: id,
    role,
    languages: ['ko'],
    approved: true,
    disabled: false,
    sessionGeneration: 0,
    shift: null,
    createdAt: 0,
    ...flags,
  };
}

const accounts = new Map(
  [
    account('boss', 'supervisor'),
    account('former-boss', 'supervisor', { approved: false }),
    account('agent', 'agent'),
    account('gone-agent', 'agent', { disabled: true }),
    account('pending', 'volunteer', { approved: false }),
    account('disabled-pending', 'volunteer', { approved: false, disabled: true }),
  ].map((a) => [a.id, a]),
);
const auth = new AuthSessions(() => 0);
const gate = { auth, store: { accounts: { findById: async (id: string) => accounts.get(id) ?? null } } };
const cookieOf = async (accountId: string, role: AccountRole) =>
  `${SESSION_COOKIE}=${await auth.create({ accountId, role })}`;

async function refusal(cookie: string | undefined, roles: AccountRole | AccountRole[]) {
  const error = await requireAccount(gate, cookie, roles).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(RelayError);
  return (error as RelayError).code;
}

describe('requireAccount (the one sign-in check)', () => {
  it('returns the account of a live session, of one of the roles, enabled and approved', async () => {
    await expect(
      requireAccount(gate, await cookieOf('boss', 'supervisor'), 'supervisor'),
    ).resolves.toMatchObject({
      id: 'boss',
    });
    await expect(
      requireAccount(gate, await cookieOf('agent', 'agent'), ['supervisor', 'agent']),
    ).resolves.toMatchObject({ id: 'agent' });
  });

  it('unauthenticated: no cookie, an unknown session, a deleted or a disabled account', async () => {
    expect(await refusal(undefined, 'agent')).toBe('unauthenticated');
    expect(await refusal(`${SESSION_COOKIE}=forged`, 'agent')).toBe('unauthenticated');
    expect(await refusal(await cookieOf('deleted', 'agent'), 'agent')).toBe('unauthenticated');
    expect(await refusal(await cookieOf('gone-agent', 'agent'), 'agent')).toBe('unauthenticated');
    // Disabled comes first: a disabled account is signed out, whatever its role or approval.
    expect(await refusal(await cookieOf('disabled-pending', 'volunteer'), 'supervisor')).toBe(
      'unauthenticated',
    );
  });

  it('forbidden: another role, or not (or no longer) approved', async () => {
    expect(await refusal(await cookieOf('agent', 'agent'), 'supervisor')).toBe('forbidden');
    expect(await refusal(await cookieOf('pending', 'volunteer'), 'volunteer')).toBe('forbidden');
    expect(await refusal(await cookieOf('former-boss', 'supervisor'), 'supervisor')).toBe('forbidden');
  });

  it("judges by the stored account's role, not the one the session was opened with", async () => {
    expect(await refusal(await cookieOf('agent', 'supervisor'), 'supervisor')).toBe('forbidden');
  });
});
