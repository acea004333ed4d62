import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../../server/src/auth/AuthSessions';
import type { AccountRole } from '../../../server/src/store';
import { connect, startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';

/**
 * Every staff route and staff namespace goes through the one sign-in check (auth/requireAccount):
 * a disabled account, or one whose approval was revoked, is signed out (401 unauthenticated: its
 * sessions ended with the change); one never approved is refused (403 forbidden), whatever its role
 * and whatever cookie it holds.
 */
let app: TestApp;

const STAFF_ROUTES: Array<[string, (cookie: string) => Promise<Response>]> = [
  ['GET /api/auth/me', (cookie) => call('GET', '/api/auth/me', cookie)],
  ['GET /api/supervisor/overview', (cookie) => call('GET', '/api/supervisor/overview', cookie)],
  ['GET /api/supervisor/volunteers', (cookie) => call('GET', '/api/supervisor/volunteers', cookie)],
  ['GET /api/supervisor/figures', (cookie) => call('GET', '/api/supervisor/figures', cookie)],
  ['GET /api/supervisor/calls', (cookie) => call('GET', '/api/supervisor/calls', cookie)],
  [
    'POST /api/supervisor/volunteers/:id/approval',
    (cookie) => call('POST', '/api/supervisor/volunteers/x/approval', cookie, { approved: true }),
  ],
  ['GET /api/volunteer/profile', (cookie) => call('GET', '/api/volunteer/profile', cookie)],
  [
    'PUT /api/volunteer/profile',
    (cookie) => call('PUT', '/api/volunteer/profile', cookie, { contact: null }),
  ],
];

function call(method: string, path: string, cookie: string, body?: unknown): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** A session straight from the app's session table, as if signed in before the account changed. */
async function staff(username: string, role: AccountRole, change?: 'disable' | 'unapprove') {
  const account = await app.store.accounts.create({
    username,
    displayName: `${role} ${username}`,
    role,
    languages: ['vi', 'ko'],
    password: TEST_PASSWORD,
  });
  const cookie = `${SESSION_COOKIE}=${await app.auth.create({ accountId: account.id, role })}`;
  if (change === 'disable') await app.store.accounts.disable(account.id);
  if (change === 'unapprove') await app.store.accounts.setApproved(account.id, false);
  return cookie;
}

async function expectRefused(res: Response, status: 401 | 403, label: string) {
  expect(res.status, label).toBe(status);
  expect(await res.json(), label).toEqual({
    error: { code: status === 401 ? 'unauthenticated' : 'forbidden', message: expect.any(String) },
  });
}

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('a disabled account', () => {
  it.each(['agent', 'supervisor', 'volunteer'] as const)(
    '(%s) is refused by every staff route with 401, and by its namespace',
    async (role) => {
      const cookie = await staff(`disabled-${role}`, role, 'disable');
      for (const [label, route] of STAFF_ROUTES) await expectRefused(await route(cookie), 401, label);
      if (role !== 'supervisor') {
        await expect(connect(app, `/${role}`, cookie)).rejects.toThrow(/^unauthenticated$/);
      }
    },
  );
});

describe('an account that is not approved', () => {
  it('a volunteer awaiting approval is refused by every staff route with 403, and by /volunteer', async () => {
    const account = await app.store.accounts.create({
      username: 'awaiting',
      displayName: 'Awaiting Approval',
      role: 'volunteer',
      languages: ['vi', 'ko'],
      password: TEST_PASSWORD,
      approved: false,
    });
    const cookie = `${SESSION_COOKIE}=${await app.auth.create({ accountId: account.id, role: 'volunteer' })}`;
    for (const [label, route] of STAFF_ROUTES) await expectRefused(await route(cookie), 403, label);
    await expect(connect(app, '/volunteer', cookie)).rejects.toThrow(/^forbidden$/);
  });

  it('a supervisor whose approval was revoked is signed out of every supervisor route', async () => {
    const cookie = await staff('revoked-boss', 'supervisor', 'unapprove');
    for (const [label, route] of STAFF_ROUTES) await expectRefused(await route(cookie), 401, label);
  });

  it('an agent whose approval was revoked is signed out, and refused by /agent', async () => {
    const cookie = await staff('revoked-agent', 'agent', 'unapprove');
    await expectRefused(await call('GET', '/api/auth/me', cookie), 401, 'GET /api/auth/me');
    await expect(connect(app, '/agent', cookie)).rejects.toThrow(/^unauthenticated$/);
  });
});

describe('the same accounts before the change', () => {
  it('get in everywhere their role may go', async () => {
    const supervisor = await staff('still-boss', 'supervisor');
    expect((await call('GET', '/api/auth/me', supervisor)).status).toBe(200);
    expect((await call('GET', '/api/supervisor/overview', supervisor)).status).toBe(200);
    expect((await call('GET', '/api/supervisor/volunteers', supervisor)).status).toBe(200);
    expect((await call('GET', '/api/supervisor/figures', supervisor)).status).toBe(200);
    expect((await call('GET', '/api/supervisor/calls', supervisor)).status).toBe(200);

    const agent = await staff('still-agent', 'agent');
    const socket = await connect(app, '/agent', agent);
    socket.close();
    // Another role's route: forbidden, not signed out.
    await expectRefused(await call('GET', '/api/supervisor/overview', agent), 403, 'agent on supervisor');
  });
});
