import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FallbackView, OfferView, QueueView, ResumeResult } from '../../../common/protocol';
import { establishCall } from '../../helpers/calls';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import {
  connect,
  fakeRtpParameters,
  ok,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
} from '../../helpers/testApp';

// Time moves only when a test says so: grace periods lapse without any sleeping.
const GRACE_MS = 400;
const scheduler = new FakeScheduler();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { reconnectGraceMs: GRACE_MS, scheduler });
});
afterAll(async () => {
  await app.stop();
});

type Request = QueueView & { resumeKey: string };

describe('nobody is dropped: a waiting caller survives a blip', () => {
  it('takes the same place back on a new connection within the grace period', async () => {
    const first = await connect(app, '/caller');
    const other = await connect(app, '/caller');
    const mine = ok(await first.request<Request>('lobby:request', { language: 'kvk', mode: 'video' }));
    ok(await other.request('lobby:request', { language: 'kvk', mode: 'video' }));
    const held = scheduler.timerSet(GRACE_MS);
    first.close();
    await held;
    scheduler.advance(GRACE_MS / 4);
    const again = await connect(app, '/caller');
    const back = ok(await again.request<ResumeResult>('lobby:resume', { resumeKey: mine.resumeKey }));
    expect(back).toEqual({ status: 'waiting', view: { position: 1, estimatedWaitMs: null } });
    scheduler.advance(GRACE_MS * 2);
    // Still in line after the grace period: the new connection holds the place.
    expect(ok(await again.request<ResumeResult>('lobby:resume', { resumeKey: mine.resumeKey })).status).toBe(
      'waiting',
    );
    ok(await again.request('lobby:cancel'));
    ok(await other.request('lobby:cancel'));
    again.close();
    other.close();
  });

  it('counts the caller as abandoned once the grace period passes, and the key stops working', async () => {
    const caller = await connect(app, '/caller');
    const { resumeKey } = ok(
      await caller.request<Request>('lobby:request', { language: 'ko', mode: 'video' }),
    );
    const held = scheduler.timerSet(GRACE_MS);
    caller.close();
    await held;
    scheduler.advance(GRACE_MS);
    const later = await connect(app, '/caller');
    expect(await later.request('lobby:resume', { resumeKey })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await later.request('lobby:resume', { resumeKey: 'y'.repeat(32) })).toMatchObject({ ok: false });
    later.close();
  });

  it('offers a fallback when nobody can serve the language, keeps the place on callback, and hands over the call on return', async () => {
    const caller = await connect(app, '/caller');
    const fallback = caller.next<FallbackView>('lobby:fallback');
    const { resumeKey } = ok(
      await caller.request<Request>('lobby:request', { language: 'km', mode: 'video' }),
    );
    expect(await fallback).toEqual({ options: ['wait', 'text', 'callback'], reason: 'no-capacity' });
    ok(await caller.request('lobby:choose-fallback', { choice: 'callback' }));
    const held = scheduler.timerSet();
    caller.close();
    await held;
    // Away an hour, far past the ordinary grace: a callback caller keeps their place (for 2 hours).
    scheduler.advance(60 * 60_000);

    // An agent who speaks Khmer comes on; the offer says it is a callback.
    const { cookie } = await app.addAgent('khmer-agent', ['km', 'ko']);
    const agent = await connect(app, '/agent', cookie);
    const offered = agent.next<OfferView>('agent:offer');
    ok(await agent.request('agent:set-presence', { presence: 'available' }));
    const offer = await offered;
    expect(offer).toMatchObject({ language: 'km', callback: true });
    ok(await agent.request('agent:accept-offer', { offerId: offer.offerId }));

    // The caller comes back to the page and is put straight into the call.
    const back = await connect(app, '/caller');
    const resumed = ok(await back.request<ResumeResult>('lobby:resume', { resumeKey }));
    expect(resumed.status).toBe('matched');
    if (resumed.status !== 'matched') throw new Error('unreachable');
    const joined = ok(
      await back.request<{ role: string; language: string }>('session:join', { token: resumed.token }),
    );
    expect(joined).toMatchObject({ role: 'caller', language: 'km' });
    ok(await back.request('session:hangup', {}));
    for (const s of [agent, back]) s.close();
  });

  it('switches a caller to text chat on request; the call then has no media', async () => {
    const caller = await connect(app, '/caller');
    const fallback = caller.next<FallbackView>('lobby:fallback');
    ok(await caller.request('lobby:request', { language: 'my', mode: 'video' }));
    await fallback;
    ok(await caller.request('lobby:choose-fallback', { choice: 'text' }));
    const { cookie } = await app.addAgent('texter', ['ko']);
    const agent = await connect(app, '/agent', cookie);
    const offered = agent.next<OfferView>('agent:offer');
    ok(await agent.request('agent:set-presence', { presence: 'available' }));
    const offer = await offered;
    expect(offer).toMatchObject({ mode: 'text', language: 'my' });
    const matched = caller.next<{ token: string }>('lobby:matched');
    const { token } = ok(
      await agent.request<{ token: string }>('agent:accept-offer', { offerId: offer.offerId }),
    );
    expect(ok(await agent.request<{ mode: string }>('session:join', { token })).mode).toBe('text');
    expect(
      ok(await caller.request<{ mode: string }>('session:join', { token: (await matched).token })).mode,
    ).toBe('text');
    ok(await agent.request('session:hangup', {}));
    caller.close();
    agent.close();
  });

  it('lets a participant whose connection dropped come back to the same call with the same token', async () => {
    const call = await establishCall(app, 'blip');
    const left = call.agent.next<{ participantId: string; role: string }>('session:participant-away');
    const back = call.agent.next<{ participantId: string; role: string }>('session:participant-back');
    call.caller.close();
    expect(await left).toEqual({ participantId: call.callerJoin.participantId, role: 'caller' });
    const again = await connect(app, '/caller');
    const joined = ok(
      await again.request<{ participantId: string }>('session:join', { token: call.tokens.caller }),
    );
    expect(joined.participantId).toBe(call.callerJoin.participantId);
    expect(await back).toEqual({ participantId: call.callerJoin.participantId, role: 'caller' });
    // Past the grace period the call is still on, and the caller can act in it.
    scheduler.advance(GRACE_MS * 2);
    expect(app.calls.sessions.get(call.callerJoin.sessionId)?.ended).toBe(false);
    ok(await again.request('chat:send', { text: 'back again' }));
    ok(await again.request('session:hangup', {}));
    again.close();
    call.agent.close();
  });

  it("tells the caller at once when the agent's connection drops, and again when the agent is back", async () => {
    const call = await establishCall(app, 'flaky-agent');
    const away = call.caller.next<{ participantId: string; role: string }>('session:participant-away');
    call.agent.close();
    expect(await away).toEqual({ participantId: call.agentJoin.participantId, role: 'agent' });
    // Within the grace the agent's page comes back, signed in as the same account, with the same token.
    scheduler.advance(GRACE_MS / 2);
    const back = call.caller.next<{ participantId: string; role: string }>('session:participant-back');
    const again = await connect(app, '/agent', await app.login('flaky-agent', TEST_PASSWORD));
    const joined = ok(
      await again.request<{ participantId: string }>('session:join', { token: call.tokens.agent }),
    );
    expect(joined.participantId).toBe(call.agentJoin.participantId);
    expect(await back).toEqual({ participantId: call.agentJoin.participantId, role: 'agent' });
    scheduler.advance(GRACE_MS);
    expect(app.calls.sessions.get(call.callerJoin.sessionId)?.ended).toBe(false);
    ok(await again.request('session:hangup', {}));
    again.close();
    call.caller.close();
  });

  it('ends the call when a participant does not come back within the grace period', async () => {
    const call = await establishCall(app, 'gone');
    const ended = call.agent.next<{ reason: string }>('session:ended');
    const left = call.agent.next('session:participant-away');
    call.caller.close();
    await left;
    scheduler.advance(GRACE_MS - 1);
    expect(app.calls.sessions.get(call.callerJoin.sessionId)?.ended).toBe(false);
    scheduler.advance(1);
    expect((await ended).reason).toBe('participant-lost');
    call.agent.close();
  });

  it("restarts a participant's media: their transports and producers go, the others are told", async () => {
    const call = await establishCall(app, 'restart');
    const send = ok(
      await call.caller.request<{ id: string }>('media:create-transport', { direction: 'send' }),
    );
    const { producerId } = ok(
      await call.caller.request<{ producerId: string }>('media:produce', {
        transportId: send.id,
        kind: 'audio',
        rtpParameters: fakeRtpParameters('audio', 4444),
        source: 'microphone',
      }),
    );
    const closed = call.agent.next<{ producerId: string }>('session:producer-closed');
    const restarted = ok(await call.caller.request<{ producers: unknown[] }>('media:restart', {}));
    expect(restarted.producers).toEqual([]);
    expect((await closed).producerId).toBe(producerId);
    // The old transport is gone; a new one can be made.
    expect(
      await call.caller.request('media:connect-transport', {
        transportId: send.id,
        dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    ok(await call.caller.request('media:create-transport', { direction: 'send' }));
    ok(await call.caller.request('session:hangup', {}));
    call.caller.close();
    call.agent.close();
  });
});

describe('a caller whose agent vanishes goes back to the head of the line', () => {
  it('puts the caller first in line again, keeps their wait, and offers them to the next agent', async () => {
    const call = await establishCall(app, 'vanishing');
    // Another caller is already waiting for kvk; ours must go before them.
    const other = await connect(app, '/caller');
    ok(await other.request('lobby:request', { language: 'kvk', mode: 'video' }));
    const requeued = call.caller.next<QueueView>('lobby:requeued');
    const ended = call.caller.next<{ reason: string }>('session:ended');
    const left = call.caller.next('session:participant-away');
    call.agent.close();
    await left;
    scheduler.advance(GRACE_MS);
    expect((await ended).reason).toBe('participant-lost');
    expect((await requeued).position).toBe(1);
    // Both callers are in line again.
    expect(app.calls.overview().callersWaiting).toBe(2);

    // The next agent is offered our caller first.
    const { cookie } = await app.addAgent('next-agent', ['kvk', 'ko']);
    const next = await connect(app, '/agent', cookie);
    const offered = next.next<OfferView>('agent:offer');
    ok(await next.request('agent:set-presence', { presence: 'available' }));
    const offer = await offered;
    const matched = call.caller.next<{ token: string }>('lobby:matched');
    ok(await next.request('agent:accept-offer', { offerId: offer.offerId }));
    expect((await matched).token).toBeTruthy();
    for (const s of [call.caller, other, next]) s.close();
  });
});
