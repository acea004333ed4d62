// What PORT answers while the app is still being set up (createApp listens first, then sets up
// workers, store and cluster join), and the same health routes once the phase moves on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Phase, startingHttpApp } from '../../../server/src/http/health';
import { createLogger } from '../../../server/src/logger';

let phase: Phase = 'starting';
let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer(startingHttpApp(() => phase, createLogger('silent')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('health while starting', () => {
  it('is alive but not ready, and refuses everything else with 503', async () => {
    phase = 'starting';
    const live = await fetch(`${url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(await ready.json()).toEqual({ ready: false, reason: 'starting' });
    const page = await fetch(`${url}/api/auth/me`);
    expect(page.status).toBe(503);
    expect(await page.json()).toMatchObject({ error: { code: 'timeout' } });
  });

  it('follows the phase: ready, then draining', async () => {
    phase = 'ready';
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    phase = 'draining';
    const live = await fetch(`${url}/healthz`);
    expect(live.status).toBe(503);
    expect(await live.json()).toEqual({ status: 'draining' });
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ ready: false, reason: 'draining' });
  });
});
