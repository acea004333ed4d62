import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await app.addAgent('webagent');
});
afterAll(async () => {
  await app.stop();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('HTTP', () => {
  it('reports liveness and readiness, and nothing about calls (those are in /metrics)', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
  });

  it('signs an agent in with an HttpOnly cookie and knows them afterwards', async () => {
    const res = await post(
      '/api/auth/login',
      JSON.stringify({ username: 'webagent', password: TEST_PASSWORD }),
    );
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const me = await fetch(`${app.url}/api/auth/me`, { headers: { cookie: setCookie.split(';')[0]! } });
    expect(await me.json()).toMatchObject({
      account: { displayName: 'Agent webagent', role: 'agent', languages: ['kvk', 'ko'] },
    });
  });

  it('refuses a wrong password, an unknown user, malformed JSON and missing fields with clear errors', async () => {
    const wrong = await post(
      '/api/auth/login',
      JSON.stringify({ username: 'webagent', password: 'nope nope nope' }),
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const unknown = await post(
      '/api/auth/login',
      JSON.stringify({ username: 'ghost', password: TEST_PASSWORD }),
    );
    expect(unknown.status).toBe(401);
    const broken = await post('/api/auth/login', '{"username": ');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: 'invalid-payload' } });
    const missing = await post('/api/auth/login', JSON.stringify({ username: 'webagent' }));
    expect(missing.status).toBe(400);
    const me = await fetch(`${app.url}/api/auth/me`);
    expect(me.status).toBe(401);
  });

  it('forgets the session on sign-out', async () => {
    const cookie = await app.login('webagent', TEST_PASSWORD);
    await post('/api/auth/logout', '{}', { cookie });
    const me = await fetch(`${app.url}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(401);
  });
});

describe('accounts that may not sign in', () => {
  it('refuses an account awaiting approval, and shuts out a disabled one at once', async () => {
    await app.store.accounts.create({
      username: 'pending',
      displayName: 'Pending Volunteer',
      role: 'volunteer',
      languages: ['vi', 'ko'],
      password: TEST_PASSWORD,
      approved: false,
    });
    const res = await post(
      '/api/auth/login',
      JSON.stringify({ username: 'pending', password: TEST_PASSWORD }),
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'awaiting-approval' } });

    const { cookie, id } = await app.addAgent('soon-disabled');
    await app.store.accounts.disable(id);
    const me = await fetch(`${app.url}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(401);
    await expect(connect(app, '/agent', cookie)).rejects.toThrow(/unauthenticated/);
  });
});
