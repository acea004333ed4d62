import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthSessions, SESSION_COOKIE } from '../../../server/src/auth/AuthSessions';
import { createHttpApp } from '../../../server/src/http/createHttpApp';
import { createLogger } from '../../../server/src/logger';
import { openStore, type AccountRole, type Store } from '../../../server/src/store';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';

let app: TestApp;
let nextIp = 1;

/**
 * Registration is rate-limited per IP (5 per 10 minutes). The app trusts X-Forwarded-For here
 * (TRUST_PROXY=true), so each test speaks from its own address unless it wants to hit the limit.
 */
function freshIp(): string {
  return `10.0.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;
}

const register = (body: unknown, ip = freshIp()) =>
  fetch(`${app.url}/api/volunteers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const getProfile = (cookie?: string) =>
  fetch(`${app.url}/api/volunteer/profile`, { ...(cookie && { headers: { cookie } }) });
const putProfile = (body: unknown, cookie?: string) =>
  fetch(`${app.url}/api/volunteer/profile`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(cookie && { cookie }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const signIn = (username: string, password = TEST_PASSWORD) =>
  fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp() },
    body: JSON.stringify({ username, password }),
  });

interface ErrorBody {
  error: { code: string; message: string; issues?: { field: string; message: string }[] };
}

const registration = (username: string) => ({
  username,
  displayName: 'Nguyễn Thị Lan',
  password: TEST_PASSWORD,
  languages: [
    { tag: 'vi', level: 'native' as const },
    { tag: 'ko', level: 'fluent' as const },
  ],
  contact: 'lan@example.org',
  timeZone: 'Asia/Ho_Chi_Minh',
});

/** A session cookie straight from the app's session table (sign-in itself is tested once, below). */
async function sessionFor(accountId: string, role: AccountRole): Promise<string> {
  return `${SESSION_COOKIE}=${await app.auth.create({ accountId, role })}`;
}

/** An approved volunteer registered through the API, with a session. */
async function approvedVolunteer(username: string): Promise<{ id: string; cookie: string }> {
  const res = await register(registration(username));
  expect(res.status).toBe(201);
  const { account } = (await res.json()) as { account: { id: string } };
  await app.store.accounts.setApproved(account.id, true);
  return { id: account.id, cookie: await sessionFor(account.id, 'volunteer') };
}

beforeAll(async () => {
  app = await startTestApp({ TRUST_PROXY: 'true' });
});
afterAll(async () => {
  await app?.stop();
});

describe('POST /api/volunteers (registration)', () => {
  it('registers an unapproved volunteer: 201, refused at sign-in until a supervisor approves', async () => {
    const res = await register(registration('lan.nguyen'));
    expect(res.status).toBe(201);
    const { account } = (await res.json()) as { account: Record<string, unknown> };
    expect(account).toEqual({
      id: expect.any(String),
      username: 'lan.nguyen',
      displayName: 'Nguyễn Thị Lan',
      role: 'volunteer',
      approved: false,
    });
    const id = account['id'] as string;

    const refused = await signIn('lan.nguyen');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.code).toBe('awaiting-approval');

    await app.store.accounts.setApproved(id, true);
    const accepted = await signIn('lan.nguyen');
    expect(accepted.status).toBe(200);
    const cookie = accepted.headers.get('set-cookie')?.split(';')[0];
    expect(cookie).toBeTruthy();

    const profile = await getProfile(cookie);
    expect(profile.status).toBe(200);
    expect(profile.headers.get('cache-control')).toBe('no-store');
    expect(await profile.json()).toEqual({
      profile: {
        accountId: id,
        languages: [
          { tag: 'vi', level: 'native' },
          { tag: 'ko', level: 'fluent' },
        ],
        weeklyHours: [],
        timeZone: 'Asia/Ho_Chi_Minh',
        contact: 'lan@example.org',
        updatedAt: expect.any(Number),
      },
    });
  });

  it('saves weekly hours given at registration (sorted), before any approval', async () => {
    const res = await register({
      ...registration('hours.at.start'),
      weeklyHours: [
        { day: 3, start: '19:00', end: '22:00' },
        { day: 1, start: '09:00', end: '12:00' },
      ],
    });
    expect(res.status).toBe(201);
    const { account } = (await res.json()) as { account: { id: string } };
    const profile = await app.store.volunteers.getProfile(account.id);
    expect(profile?.weeklyHours).toEqual([
      { day: 1, start: '09:00', end: '12:00' },
      { day: 3, start: '19:00', end: '22:00' },
    ]);
  });

  it('400 naming the slot of bad or overlapping hours at registration; nothing is created', async () => {
    const before = (await app.store.accounts.list()).length;
    const res = await register({
      ...registration('bad.hours'),
      weeklyHours: [
        { day: 1, start: '10:00', end: '09:00' },
        { day: 2, start: '09:00', end: '12:00' },
        { day: 2, start: '11:00', end: '13:00' },
      ],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid-payload');
    const fields = body.error.issues?.map((i) => i.field) ?? [];
    expect(fields.some((f) => f.startsWith('weeklyHours.0'))).toBe(true);
    expect(fields).toContain('weeklyHours.2');
    expect(await app.store.accounts.list()).toHaveLength(before);
  });

  it('409 taken for a duplicate username, whatever its case', async () => {
    expect((await register(registration('duplicate'))).status).toBe(201);
    const res = await register({ ...registration('DUPLICATE') });
    expect(res.status).toBe(409);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('taken');
    expect(body.error.issues).toEqual([{ field: 'username', message: 'is already taken' }]);
    expect(await app.store.accounts.list('volunteer')).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ username: 'DUPLICATE' })]),
    );
  });

  it('400 naming every bad field, and nothing is created', async () => {
    const before = (await app.store.accounts.list()).length;
    const res = await register({
      username: 'no',
      displayName: '',
      password: 'short',
      languages: [{ tag: 'vi', level: 'native' }],
      contact: 'x'.repeat(201),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid-payload');
    for (const field of ['username', 'displayName', 'password', 'languages', 'contact']) {
      expect(body.error.message).toContain(`${field}:`);
    }
    expect(body.error.message).toContain('a volunteer interprets between a language and Korean: add ko');
    expect(body.error.issues?.map((i) => i.field).sort()).toEqual([
      'contact',
      'displayName',
      'languages',
      'password',
      'username',
    ]);
    expect(await app.store.accounts.list()).toHaveLength(before);
  });

  it.each([
    ['not JSON', '{"username": '],
    ['an array', '[]'],
    ['no body', ''],
    ['an unknown field', JSON.stringify({ ...registration('extra'), role: 'supervisor' })],
    ['an approved flag', JSON.stringify({ ...registration('sneaky'), approved: true })],
    ['languages as strings', JSON.stringify({ ...registration('strings'), languages: ['vi', 'ko'] })],
  ])('400 for %s', async (_name, body) => {
    const res = await register(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('invalid-payload');
  });

  it('rate-limits registrations per address: the sixth in 10 minutes gets 429', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await register(registration(`burst${i}`), ip)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    // Another address is not affected.
    expect((await register(registration('burst-other'))).status).toBe(201);
  });
});

describe('GET and PUT /api/volunteer/profile', () => {
  it('saves hours, time zone, contact and languages, and keeps the account languages in sync', async () => {
    const { id, cookie } = await approvedVolunteer('hoa');
    const res = await putProfile(
      {
        languages: [
          { tag: 'ko', level: 'fluent' },
          { tag: 'vi', level: 'native' },
          { tag: 'en', level: 'conversational' },
        ],
        weeklyHours: [
          { day: 1, start: '19:00', end: '23:00' },
          { day: 0, start: '20:00', end: '24:00' },
        ],
        timeZone: 'Europe/London',
        contact: null,
      },
      cookie,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { profile } = (await res.json()) as { profile: Record<string, unknown> };
    expect(profile).toMatchObject({
      weeklyHours: [
        { day: 0, start: '20:00', end: '24:00' },
        { day: 1, start: '19:00', end: '23:00' },
      ],
      timeZone: 'Europe/London',
      contact: null,
    });
    expect(await (await getProfile(cookie)).json()).toEqual({ profile });
    // What onVolunteerProfileChanged tells the lobby to re-read: the account's own languages.
    expect((await app.store.accounts.findById(id))?.languages).toEqual(['ko', 'vi', 'en']);
  });

  it('changes only the fields sent', async () => {
    const { cookie } = await approvedVolunteer('partial');
    const res = await putProfile({ weeklyHours: [{ day: 6, start: '10:00', end: '12:00' }] }, cookie);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { profile: unknown }).profile).toMatchObject({
      languages: [
        { tag: 'vi', level: 'native' },
        { tag: 'ko', level: 'fluent' },
      ],
      weeklyHours: [{ day: 6, start: '10:00', end: '12:00' }],
      timeZone: 'Asia/Ho_Chi_Minh',
      contact: 'lan@example.org',
    });
  });

  it('400 naming each bad field; nothing changes', async () => {
    const { cookie } = await approvedVolunteer('careful');
    const before = await (await getProfile(cookie)).json();
    const res = await putProfile(
      {
        languages: [{ tag: 'vi', level: 'native' }],
        weeklyHours: [
          { day: 1, start: '19:00', end: '23:00' },
          { day: 1, start: '22:00', end: '24:00' },
          { day: 9, start: '10:00', end: '09:00' },
        ],
        timeZone: 'Moon/Base',
      },
      cookie,
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid-payload');
    expect(body.error.issues?.map((i) => i.field)).toEqual(
      expect.arrayContaining(['languages', 'weeklyHours.2.day', 'weeklyHours.2.end', 'timeZone']),
    );
    expect(body.error.message).toContain(
      'languages: a volunteer interprets between a language and Korean: add ko',
    );
    expect(await (await getProfile(cookie)).json()).toEqual(before);
  });

  it.each([
    ['not JSON', '{'],
    ['an empty object', '{}'],
    ['an unknown field', JSON.stringify({ approved: true })],
    ['a null language list', JSON.stringify({ languages: null })],
    [
      'hours with an overlap',
      JSON.stringify({
        weeklyHours: [
          { day: 2, start: '09:00', end: '12:00' },
          { day: 2, start: '11:00', end: '13:00' },
        ],
      }),
    ],
  ])('400 for %s', async (_name, body) => {
    const { cookie } = await approvedVolunteer(`bad${Math.random().toString(36).slice(2, 8)}`);
    const res = await putProfile(body, cookie);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('invalid-payload');
  });

  it('401 without a session, with an unknown cookie, and once the account is disabled', async () => {
    expect((await getProfile()).status).toBe(401);
    expect((await putProfile({ contact: null })).status).toBe(401);
    expect((await getProfile(`${SESSION_COOKIE}=not-a-session`)).status).toBe(401);
    const { id, cookie } = await approvedVolunteer('leaving');
    expect((await getProfile(cookie)).status).toBe(200);
    await app.store.accounts.disable(id);
    const res = await getProfile(cookie);
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error.code).toBe('unauthenticated');
    expect((await putProfile({ contact: null }, cookie)).status).toBe(401);
  });

  it('403 for agents and supervisors; a volunteer whose approval was revoked is signed out (401)', async () => {
    for (const role of ['agent', 'supervisor'] as const) {
      const account = await app.store.accounts.create({
        username: `a-${role}`,
        displayName: role,
        role,
        languages: ['kvk', 'ko'],
        password: TEST_PASSWORD,
      });
      const cookie = await sessionFor(account.id, role);
      for (const res of [await getProfile(cookie), await putProfile({ contact: null }, cookie)]) {
        expect(res.status).toBe(403);
        expect(((await res.json()) as ErrorBody).error.code).toBe('forbidden');
      }
    }
    const { id, cookie } = await approvedVolunteer('revoked');
    await app.store.accounts.setApproved(id, false);
    expect((await getProfile(cookie)).status).toBe(401);
    expect((await putProfile({ contact: null }, cookie)).status).toBe(401);
  });

  it('404 for a volunteer made with the CLI who has no profile yet, until they save one', async () => {
    const account = await app.store.accounts.create({
      username: 'from-cli',
      displayName: 'From the CLI',
      role: 'volunteer',
      languages: ['en', 'ko'],
      password: TEST_PASSWORD,
    });
    const cookie = await sessionFor(account.id, 'volunteer');
    const missing = await getProfile(cookie);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('not-found');
    // Without languages there is nothing to start from.
    expect((await putProfile({ timeZone: 'UTC' }, cookie)).status).toBe(400);
    const saved = await putProfile(
      {
        languages: [
          { tag: 'en', level: 'native' },
          { tag: 'ko', level: 'conversational' },
        ],
      },
      cookie,
    );
    expect(saved.status).toBe(200);
    expect((await getProfile(cookie)).status).toBe(200);
  });
});

describe('onVolunteerProfileChanged (the hook app.ts wires to the lobby)', () => {
  let server: http.Server;
  let url: string;
  let store: Store;
  let auth: AuthSessions;
  let dir: string;
  const changed: string[] = [];
  let throwing = false;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-hook-'));
    store = await openStore({ path: path.join(dir, 'relay.sqlite') });
    auth = new AuthSessions(Date.now);
    const httpApp = createHttpApp({
      store,
      auth,
      log: createLogger('silent'),
      clientDir: dir,
      trustProxy: false,
      secureCookies: false,
      phase: () => 'ready',
      overview: () => ({}) as never,
      onVolunteerProfileChanged: (accountId) => {
        changed.push(accountId);
        if (throwing) throw new Error('lobby is down');
      },
    });
    server = http.createServer(httpApp);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const put = (body: unknown, cookie: string) =>
    fetch(`${url}/api/volunteer/profile`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });

  it('is called once after a save, never after a refused one, and a failing hook does not fail the save', async () => {
    const account = await store.volunteers.register(registration('hooked'));
    await store.accounts.setApproved(account.id, true);
    const cookie = `${SESSION_COOKIE}=${await auth.create({ accountId: account.id, role: 'volunteer' })}`;

    expect((await put({ weeklyHours: [{ day: 1, start: '19:00', end: '23:00' }] }, cookie)).status).toBe(200);
    expect(changed).toEqual([account.id]);

    expect((await put({ weeklyHours: [{ day: 1, start: '23:00', end: '19:00' }] }, cookie)).status).toBe(400);
    expect(changed).toEqual([account.id]);

    throwing = true;
    expect((await put({ timeZone: 'Asia/Seoul' }, cookie)).status).toBe(200);
    expect(changed).toEqual([account.id, account.id]);
    expect(await store.volunteers.getProfile(account.id)).toMatchObject({ timeZone: 'Asia/Seoul' });
  });
});
