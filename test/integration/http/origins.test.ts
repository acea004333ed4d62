import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';

/**
 * The attack: a state-changing request from a foreign page (`Origin: https://evil.example`)
 * succeeded. Now POST, PUT, PATCH and DELETE must come from one of our pages (by `Origin`), or from
 * no page at all (the CLI, curl: no Origin, and no `Sec-Fetch-Site: cross-site`).
 */
let local: TestApp;
let listed: TestApp;

beforeAll(async () => {
  // The local default: our pages are those of the request's own Host.
  local = await startTestApp();
  await local.addAgent('origin-agent');
  // Behind a configured name: only the listed origins are ours.
  listed = await startTestApp({
    ALLOWED_ORIGINS: 'https://relay.example.org, https://Backup.Example.org:8443',
  });
});
afterAll(async () => {
  await local?.stop();
  await listed?.stop();
});

const signIn = (app: TestApp, headers: Record<string, string>, password = TEST_PASSWORD) =>
  fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username: 'origin-agent', password }),
  });

async function expectForbidden(res: Response): Promise<void> {
  expect(res.status).toBe(403);
  expect(await res.json()).toEqual({
    error: { code: 'forbidden', message: expect.stringMatching(/^Cross-origin request refused/) },
  });
}

describe('state-changing requests (local default: the request’s own Host)', () => {
  it('refuses a foreign Origin, the opaque "null" one, and a browser’s cross-site request without Origin', async () => {
    await expectForbidden(await signIn(local, { origin: 'https://evil.example' }));
    await expectForbidden(await signIn(local, { origin: `http://evil.example:${local.port}` }));
    await expectForbidden(await signIn(local, { origin: 'null' }));
    await expectForbidden(await signIn(local, { 'sec-fetch-site': 'cross-site' }));
    const registration = await fetch(`${local.url}/api/volunteers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{}',
    });
    await expectForbidden(registration);
  });

  it('lets through our own page, and a client that is no browser page (no Origin: the CLI, curl)', async () => {
    expect((await signIn(local, { origin: local.url })).status).toBe(200);
    expect((await signIn(local, { origin: local.url, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await signIn(local, {})).status).toBe(200);
  });

  it('leaves reads alone (a foreign page cannot read them: no CORS, SameSite cookies)', async () => {
    const health = await fetch(`${local.url}/healthz`, { headers: { origin: 'https://evil.example' } });
    expect(health.status).toBe(200);
  });
});

describe('with ALLOWED_ORIGINS', () => {
  it('accepts exactly the listed origins (case as browsers send it), not the bare Host', async () => {
    await listed.addAgent('origin-agent');
    expect((await signIn(listed, { origin: 'https://relay.example.org' })).status).toBe(200);
    expect((await signIn(listed, { origin: 'https://backup.example.org:8443' })).status).toBe(200);
    await expectForbidden(await signIn(listed, { origin: listed.url }));
    await expectForbidden(await signIn(listed, { origin: 'https://relay.example.org.evil.example' }));
  });
});
