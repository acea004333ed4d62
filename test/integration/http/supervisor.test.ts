import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountRole } from '../../../server/src/store';
import { SESSION_COOKIE } from '../../../server/src/auth/AuthSessions';
import { connect, ok, startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';

let app: TestApp;
let supervisor: string;
let agent: string;
let volunteer: string;
let disabledSupervisor: string;

/** A session cookie straight from the app's session table (sign-in itself is rate-limited and tested elsewhere). */
async function staff(username: string, role: AccountRole, approved = true) {
  const account = await app.store.accounts.create({
    username,
    displayName: `${role} ${username}`,
    role,
    languages: ['kvk', 'ko'],
    password: TEST_PASSWORD,
    approved,
  });
  return {
    id: account.id,
    cookie: `${SESSION_COOKIE}=${await app.auth.create({ accountId: account.id, role })}`,
  };
}

const get = (path: string, cookie?: string) =>
  fetch(`${app.url}${path}`, { ...(cookie && { headers: { cookie } }) });
const post = (path: string, body: string, cookie?: string, contentType = 'application/json') =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(cookie && { cookie }) },
    body,
  });
const signIn = (username: string) =>
  post('/api/auth/login', JSON.stringify({ username, password: TEST_PASSWORD }));

beforeAll(async () => {
  app = await startTestApp();
  supervisor = (await staff('boss', 'supervisor')).cookie;
  agent = (await staff('signer', 'agent')).cookie;
  volunteer = (await staff('helper', 'volunteer')).cookie;
  const gone = await staff('former-boss', 'supervisor');
  await app.store.accounts.disable(gone.id);
  disabledSupervisor = gone.cookie;
});
afterAll(async () => {
  await app?.stop();
});

describe('supervisor API: who may use it', () => {
  const routes: Array<[string, (cookie?: string) => Promise<Response>]> = [
    ['GET /api/supervisor/overview', (c) => get('/api/supervisor/overview', c)],
    ['GET /api/supervisor/volunteers', (c) => get('/api/supervisor/volunteers', c)],
    [
      'POST /api/supervisor/volunteers/:id/approval',
      (c) => post('/api/supervisor/volunteers/x/approval', JSON.stringify({ approved: true }), c),
    ],
  ];

  it.each(routes)(
    '%s: 401 without a session, 403 for agents and volunteers, 401 once disabled',
    async (_, call) => {
      const cases: Array<[string | undefined, number, string]> = [
        [undefined, 401, 'unauthenticated'],
        [`${SESSION_COOKIE}=not-a-session`, 401, 'unauthenticated'],
        [agent, 403, 'forbidden'],
        [volunteer, 403, 'forbidden'],
        [disabledSupervisor, 401, 'unauthenticated'],
      ];
      for (const [cookie, status, code] of cases) {
        const res = await call(cookie);
        expect(res.status, `${cookie ?? 'no cookie'}`).toBe(status);
        expect(await res.json()).toEqual({ error: { code, message: expect.any(String) } });
      }
    },
  );
});

describe('supervisor API: live figures', () => {
  it('shows a caller waiting for Korean Sign Language, and drops them when they leave', async () => {
    const before = await get('/api/supervisor/overview', supervisor);
    expect(before.status).toBe(200);
    expect(before.headers.get('cache-control')).toBe('no-store');
    const empty = (await before.json()) as Record<string, unknown>;
    expect(empty).toMatchObject({
      callersWaiting: 0,
      callersByLanguage: {},
      longestWaitMsByLanguage: {},
      activeMatches: 0,
      matchesAwaitingInterpreter: 0,
      volunteersOnline: 0,
      sessions: 0,
    });
    for (const key of ['at', 'shift', 'offersPending', 'agentsByPresence', 'volunteersByPresence']) {
      expect(empty).toHaveProperty(key);
    }

    const caller = await connect(app, '/caller');
    try {
      ok(await caller.request('lobby:request', { language: 'kvk', mode: 'video' }));
      const during = await (await get('/api/supervisor/overview', supervisor)).json();
      expect(during).toMatchObject({
        callersWaiting: 1,
        callersByLanguage: { kvk: { waiting: 1, text: 0, callback: 0 } },
      });
      expect(Object.keys((during as { longestWaitMsByLanguage: object }).longestWaitMsByLanguage)).toEqual([
        'kvk',
      ]);
      expect(
        (during as { longestWaitMsByLanguage: { kvk: number } }).longestWaitMsByLanguage.kvk,
      ).toBeGreaterThanOrEqual(0);
      ok(await caller.request('lobby:cancel'));
      const after = await (await get('/api/supervisor/overview', supervisor)).json();
      expect(after).toMatchObject({ callersWaiting: 0, callersByLanguage: {}, longestWaitMsByLanguage: {} });
    } finally {
      caller.close();
    }
  });

  it('counts an agent who goes available', async () => {
    const { cookie } = await app.addAgent('figures-agent', ['ase']);
    const socket = await connect(app, '/agent', cookie);
    try {
      ok(await socket.request('agent:set-presence', { presence: 'available' }));
      const figures = (await (await get('/api/supervisor/overview', supervisor)).json()) as {
        agentsByPresence: Record<string, number>;
      };
      expect(figures.agentsByPresence['available']).toBe(1);
    } finally {
      socket.close();
    }
  });
});

describe('supervisor API: volunteer approval', () => {
  let pendingId: string;

  beforeAll(async () => {
    pendingId = (
      await app.store.accounts.create({
        username: 'newcomer',
        displayName: 'Nguyen Van A',
        role: 'volunteer',
        languages: ['vi', 'ko'],
        password: TEST_PASSWORD,
        approved: false,
      })
    ).id;
  });

  it('lists volunteers, pending first, without secrets', async () => {
    const res = await get('/api/supervisor/volunteers', supervisor);
    expect(res.status).toBe(200);
    const { volunteers } = (await res.json()) as { volunteers: Array<Record<string, unknown>> };
    expect(volunteers.map((v) => v['username'])).toEqual(['newcomer', 'helper']);
    expect(volunteers[0]).toEqual({
      id: pendingId,
      username: 'newcomer',
      displayName: 'Nguyen Van A',
      languages: ['vi', 'ko'],
      approved: false,
      disabled: false,
      createdAt: expect.any(Number),
      // Made without a profile (as the CLI does): nothing more to show.
      profile: null,
    });
    expect(JSON.stringify(volunteers)).not.toMatch(/password|hash|scrypt/i);
  });

  it('shows a registered volunteer’s contact, levels, hours and time zone, so they can be judged before approval', async () => {
    const registered = await app.store.volunteers.register({
      username: 'registered.lan',
      displayName: 'Lan',
      password: TEST_PASSWORD,
      languages: [
        { tag: 'vi', level: 'native' },
        { tag: 'ko', level: 'fluent' },
      ],
      contact: 'lan@example.org',
      timeZone: 'Asia/Ho_Chi_Minh',
      weeklyHours: [{ day: 6, start: '10:00', end: '14:00' }],
    });
    try {
      const res = await get('/api/supervisor/volunteers', supervisor);
      const { volunteers } = (await res.json()) as { volunteers: Array<Record<string, unknown>> };
      expect(volunteers.find((v) => v['id'] === registered.id)?.['profile']).toEqual({
        languages: [
          { tag: 'vi', level: 'native' },
          { tag: 'ko', level: 'fluent' },
        ],
        weeklyHours: [{ day: 6, start: '10:00', end: '14:00' }],
        timeZone: 'Asia/Ho_Chi_Minh',
        contact: 'lan@example.org',
      });
    } finally {
      await app.store.accounts.disable(registered.id);
    }
  });

  it('approving lets the volunteer sign in; revoking shuts them out again', async () => {
    expect((await signIn('newcomer')).status).toBe(403);

    const approve = await post(
      `/api/supervisor/volunteers/${pendingId}/approval`,
      JSON.stringify({ approved: true }),
      supervisor,
    );
    expect(approve.status).toBe(200);
    expect(await approve.json()).toMatchObject({ volunteer: { id: pendingId, approved: true } });
    const login = await signIn('newcomer');
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ account: { id: pendingId, role: 'volunteer' } });

    const listed = (await (await get('/api/supervisor/volunteers', supervisor)).json()) as {
      volunteers: Array<{ username: string; approved: boolean }>;
    };
    expect(listed.volunteers.find((v) => v.username === 'newcomer')?.approved).toBe(true);

    const revoke = await post(
      `/api/supervisor/volunteers/${pendingId}/approval`,
      JSON.stringify({ approved: false }),
      supervisor,
    );
    expect(revoke.status).toBe(200);
    expect((await signIn('newcomer')).status).toBe(403);
  });

  it('refuses bad bodies with invalid-payload and changes nothing', async () => {
    const path = `/api/supervisor/volunteers/${pendingId}/approval`;
    const bodies: Array<[string, string?]> = [
      ['{}'],
      [JSON.stringify({ approved: 'yes' })],
      [JSON.stringify({ approved: 1 })],
      [JSON.stringify({ approved: null })],
      [JSON.stringify({ approved: true, role: 'supervisor' })],
      [JSON.stringify([true])],
      ['{"approved": '],
      ['approved=true', 'application/x-www-form-urlencoded'],
    ];
    for (const [body, type] of bodies) {
      const res = await post(path, body, supervisor, type);
      expect(res.status, body).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid-payload' } });
    }
    expect((await app.store.accounts.findById(pendingId))?.approved).toBe(false);
  });

  it('answers 404 not-found for an unknown id and for staff who are not volunteers', async () => {
    const agentAccount = await app.store.accounts.findByUsername('signer');
    for (const id of ['00000000-0000-0000-0000-000000000000', 'nope', agentAccount!.id]) {
      const res = await post(
        `/api/supervisor/volunteers/${encodeURIComponent(id)}/approval`,
        JSON.stringify({ approved: true }),
        supervisor,
      );
      expect(res.status, id).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not-found' } });
    }
    expect((await app.store.accounts.findById(agentAccount!.id))?.approved).toBe(true);
  });
});
