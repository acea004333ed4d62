// SIGTERM's drain, on one process: no new calls start, live calls may finish, and those still going
// at the limit are ended with every participant told why. Nothing is cut without a word.
import { afterEach, describe, expect, it } from 'vitest';
import { establishCall } from '../../helpers/calls';
import { connect, startTestApp, type TestApp } from '../../helpers/testApp';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

describe('draining a node', () => {
  it('refuses new calls, and at the limit ends live ones with reason shutdown, told to both sides', async () => {
    app = await startTestApp();
    const call = await establishCall(app, 'drain-agent');
    const newcomer = await connect(app, '/caller');
    try {
      const callerTold = call.caller.next<{ reason: string }>('session:ended', 5000);
      const agentTold = call.agent.next<{ reason: string }>('session:ended', 5000);
      const readyBefore = await fetch(`${app.url}/readyz`);
      expect(readyBefore.status).toBe(200);
      expect(await readyBefore.json()).toEqual({ ready: true });
      const drained = app.drain(400);
      // A load balancer's health check sends nobody new here from now on.
      const health = await fetch(`${app.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'draining' });
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false, reason: 'draining' });
      expect(await newcomer.request('lobby:request', { language: 'kvk', mode: 'video' })).toMatchObject({
        ok: false,
        error: { code: 'draining' },
      });
      expect(await callerTold).toEqual({ reason: 'shutdown' });
      expect(await agentTold).toEqual({ reason: 'shutdown' });
      const result = await drained;
      expect(result).toMatchObject({ finished: false, ended: 1 });
      expect(result.waitedMs).toBeGreaterThanOrEqual(400);
      expect(app.pool.routerCount).toBe(0);
      // The record says the service cut it.
      await expect.poll(async () => (await app!.store.calls.list({}))[0]?.outcome).toBe('failed');
    } finally {
      newcomer.close();
      call.caller.close();
      call.agent.close();
    }
  });

  it('finishes as soon as the last live call ends by itself', async () => {
    app = await startTestApp();
    const call = await establishCall(app, 'drain-finish');
    const drained = app.drain(60_000);
    await new Promise((r) => setTimeout(r, 300));
    const ended = call.agent.next<{ reason: string }>('session:ended');
    expect(await call.caller.request('session:hangup', {})).toMatchObject({ ok: true });
    expect(await ended).toEqual({ reason: 'hangup' });
    const result = await drained;
    expect(result).toMatchObject({ finished: true, ended: 0 });
    expect(result.waitedMs).toBeLessThan(5000);
    call.caller.close();
    call.agent.close();
  });

  it('finishes at once with no call going', async () => {
    app = await startTestApp();
    expect(await app.drain(60_000)).toEqual({ finished: true, ended: 0, waitedMs: 0 });
  });
});
