import { routerIdOf } from '../../helpers/media';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { establishCall } from '../../helpers/calls';
import { fakeRtpParameters, ok, startTestApp, type TestApp } from '../../helpers/testApp';

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
    const pids = new Set(app.calls.sessions.all().map((s) => app.pool.workerPidOf(routerIdOf(s))));
    expect(pids.size).toBe(2);
    expect(app.pool.routerCount).toBe(2);
    for (const c of [first, second]) {
      c.caller.close();
      c.agent.close();
    }
    for (const s of app.calls.sessions.all()) s.end('hangup');
    expect(app.pool.routerCount).toBe(0);
  });

  it('moves a call off a worker killed with SIGKILL: both sides restart media and the call goes on', async () => {
    const call = await establishCall(app, 'killed');
    const session = app.calls.sessions.get(call.callerJoin.sessionId)!;
    const victim = app.pool.workerPidOf(routerIdOf(session))!;
    expect(victim).toBeGreaterThan(0);
    const callerRestart = call.caller.next('session:media-restart', 10_000);
    const agentRestart = call.agent.next('session:media-restart', 10_000);
    process.kill(victim, 'SIGKILL');
    await Promise.all([callerRestart, agentRestart]);
    expect(session.ended).toBe(false);
    expect(app.pool.workerPidOf(routerIdOf(session))).not.toBe(victim);
    expect(app.pool.routerCount).toBe(1);

    // Media is set up again on the new router, and flows between the two as before.
    const restarted = ok(await call.agent.request<{ producers: unknown[] }>('media:restart', {}));
    expect(restarted.producers).toEqual([]);
    const send = ok(
      await call.agent.request<{ id: string }>('media:create-transport', { direction: 'send' }),
    );
    const added = call.caller.next<{ producerId: string }>('session:producer-added');
    const { producerId } = ok(
      await call.agent.request<{ producerId: string }>('media:produce', {
        transportId: send.id,
        kind: 'video',
        rtpParameters: fakeRtpParameters('video', 5555),
        source: 'camera',
      }),
    );
    expect((await added).producerId).toBe(producerId);
    // The pool replaced the dead worker.
    await expect.poll(() => app.pool.workerPids.length, { timeout: 10_000 }).toBe(2);
    call.caller.close();
    call.agent.close();
  });

  it('with a single worker, waits for its replacement and moves the call there', async () => {
    const single = await startTestApp({ MEDIA_WORKERS: '1' });
    try {
      const call = await establishCall(single, 'single');
      const session = single.calls.sessions.all()[0]!;
      const restart = call.caller.next('session:media-restart', 15_000);
      process.kill(single.pool.workerPids[0]!, 'SIGKILL');
      await restart;
      expect(session.ended).toBe(false);
      expect(single.pool.routerCount).toBe(1);
      ok(await call.caller.request('media:create-transport', { direction: 'recv' }));
      call.caller.close();
      call.agent.close();
    } finally {
      await single.stop();
    }
  });
});
