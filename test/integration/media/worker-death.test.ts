import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { establishCall } from '../../helpers/calls';
import { startTestApp, type TestApp } from '../../helpers/testApp';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ MEDIA_WORKERS: '2' });
});
afterAll(async () => {
  await app.stop();
});

describe('media workers', () => {
  it('spreads calls over workers by load', async () => {
    const first = await establishCall(app, 'spread-a');
    const second = await establishCall(app, 'spread-b');
    const pids = new Set(app.calls.sessions.all().map((s) => app.pool.workerPidOf(s.media.router.id)));
    expect(pids.size).toBe(2);
    expect(app.pool.routerCount).toBe(2);
    for (const c of [first, second]) {
      c.caller.close();
      c.agent.close();
    }
    for (const s of app.calls.sessions.all()) s.end('hangup');
    expect(app.pool.routerCount).toBe(0);
  });

  it('ends the calls of a worker killed with SIGKILL, tells both sides, and starts a replacement', async () => {
    const call = await establishCall(app, 'killed');
    const session = app.calls.sessions.all()[0]!;
    const victim = app.pool.workerPidOf(session.media.router.id)!;
    expect(victim).toBeGreaterThan(0);
    const callerEnded = call.caller.next<{ reason: string }>('session:ended', 10_000);
    const agentEnded = call.agent.next<{ reason: string }>('session:ended', 10_000);
    process.kill(victim, 'SIGKILL');
    expect((await callerEnded).reason).toBe('media-failed');
    expect((await agentEnded).reason).toBe('media-failed');
    expect(app.pool.routerCount).toBe(0);
    // The pool replaced what died, and a new call still works.
    await expect.poll(() => app.pool.workerPids.length, { timeout: 10_000 }).toBe(2);
    const again = await establishCall(app, 'after-death');
    expect(again.callerJoin.sessionId).toBeTruthy();
    again.caller.close();
    again.agent.close();
    call.caller.close();
    call.agent.close();
  });
});
