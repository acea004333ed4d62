import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfferView, ProducerView, TransportView } from '../../../common/protocol';
import { establishCall } from '../../helpers/calls';
import { connect, fakeRtpParameters, ok, startTestApp, type TestApp } from '../../helpers/testApp';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.stop();
});

describe('a two-way call through signalling, against the real mediasoup worker', () => {
  it('queues the caller, offers the agent, creates one router, relays media, and frees it on hang-up', async () => {
    const { caller, agent, callerJoin, agentJoin } = await establishCall(app, 'flow1');
    expect(callerJoin.role).toBe('caller');
    expect(agentJoin.role).toBe('agent');
    expect(callerJoin.sessionId).toBe(agentJoin.sessionId);
    expect(callerJoin.language).toBe('kvk');
    expect(app.pool.routerCount).toBe(1);

    // The agent sends video; the caller is told and consumes it, paused until it resumes.
    const send = ok(await agent.request<TransportView>('media:create-transport', { direction: 'send' }));
    expect(send.iceCandidates.length).toBeGreaterThan(0);
    const added = caller.next<ProducerView>('session:producer-added');
    const { producerId } = ok(
      await agent.request<{ producerId: string }>('media:produce', {
        transportId: send.id,
        kind: 'video',
        rtpParameters: fakeRtpParameters('video', 1111),
        source: 'camera',
      }),
    );
    const announced = await added;
    expect(announced).toMatchObject({
      producerId,
      kind: 'video',
      source: 'camera',
      participantId: agentJoin.participantId,
    });

    const recv = ok(await caller.request<TransportView>('media:create-transport', { direction: 'recv' }));
    const consumer = ok(
      await caller.request<{ id: string; kind: string }>('media:consume', {
        transportId: recv.id,
        producerId,
        rtpCapabilities: callerJoin.routerRtpCapabilities,
      }),
    );
    expect(consumer.kind).toBe('video');
    ok(await caller.request('media:resume-consumer', { consumerId: consumer.id }));

    // A late joiner learns about existing producers from the join answer itself.
    const paused = caller.next('session:producer-paused');
    ok(await agent.request('media:set-producer-paused', { producerId, paused: true }));
    expect(await paused).toMatchObject({ producerId, paused: true });

    const agentEnded = agent.next<{ reason: string }>('session:ended');
    const callerEnded = caller.next<{ reason: string }>('session:ended');
    const survey = caller.next<{ surveyKey: string; language: string }>('call:survey');
    // socket.io turns a missing payload into null; that must be accepted as "no payload".
    ok(await caller.request('session:hangup', null));
    expect((await agentEnded).reason).toBe('hangup');
    expect((await callerEnded).reason).toBe('hangup');
    expect(app.pool.routerCount).toBe(0);

    // The caller is asked, in the call's language, how satisfied they were: once.
    const { surveyKey, language } = await survey;
    expect(language).toBe('kvk');
    expect(await caller.request('call:rate', { surveyKey, rating: 9 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
    ok(await caller.request('call:rate', { surveyKey, rating: 4 }));
    expect(await caller.request('call:rate', { surveyKey, rating: 5 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });

    // After the call: the agent wraps up and becomes available again; the record has no content.
    const presence = ok(
      await agent.request<{ presence: string }>('agent:wrap-up', { resolved: true, category: 'information' }),
    );
    expect(presence.presence).toBe('available');
    const records = await app.store.calls.list({});
    const record = records.find((r) => r.resolved !== null);
    expect(record).toMatchObject({
      rating: 4,
      outcome: 'completed',
      callerLanguage: 'kvk',
      resolved: true,
      category: 'information',
    });

    caller.close();
    agent.close();
  });

  it('shows the caller their place in line and records an abandoned call on cancel', async () => {
    const c1 = await connect(app, '/caller');
    const c2 = await connect(app, '/caller');
    const first = ok(
      await c1.request<{ position: number }>('lobby:request', { language: 'ko', mode: 'video' }),
    );
    const second = ok(
      await c2.request<{ position: number }>('lobby:request', { language: 'ko', mode: 'video' }),
    );
    expect(first.position).toBe(1);
    expect(second.position).toBe(2);
    const moved = c2.next<{ position: number }>('lobby:position');
    ok(await c1.request('lobby:cancel'));
    expect((await moved).position).toBe(1);
    expect(await c1.request('lobby:cancel')).toMatchObject({ ok: false, error: { code: 'invalid-state' } });
    ok(await c2.request('lobby:cancel'));
    c2.close();
    c1.close();
    await expect
      .poll(async () => (await app.store.calls.list({})).filter((r) => r.outcome === 'abandoned').length)
      .toBeGreaterThanOrEqual(2);
  });

  it("answers a request with the caller's place as it is when the answer goes, not when they joined", async () => {
    const c1 = await connect(app, '/caller');
    const c2 = await connect(app, '/caller');
    ok(await c1.request('lobby:request', { language: 'ko', mode: 'video' }));
    // The second caller's call record is slow to write (a busy database): while it waits, the caller
    // ahead hangs up and the second caller is told they moved up.
    const records = app.store.calls;
    const start = records.start.bind(records);
    let release!: () => void;
    const written = new Promise<void>((resolve) => (release = resolve));
    records.start = async (...args) => {
      await written;
      return start(...args);
    };
    const heard: number[] = [];
    c2.on('lobby:position', (view: { position: number }) => heard.push(view.position));
    const answer = c2.request<{ position: number }>('lobby:request', { language: 'ko', mode: 'video' });
    await expect.poll(() => app.calls.overview().callersWaiting).toBe(2);
    ok(await c1.request('lobby:cancel'));
    await expect.poll(() => heard).toEqual([1]);
    records.start = start;
    release();
    expect(ok(await answer).position).toBe(1);
    ok(await c2.request('lobby:cancel'));
    c2.close();
    c1.close();
  });

  it('moves a missed offer to the next agent when it times out', async () => {
    const quick = await startTestApp({ OFFER_TIMEOUT_MS: '1000' });
    try {
      const a1 = await connect(quick, '/agent', (await quick.addAgent('miss1')).cookie);
      ok(await a1.request('agent:set-presence', { presence: 'available' }));
      await new Promise((r) => setTimeout(r, 20));
      const a2 = await connect(quick, '/agent', (await quick.addAgent('miss2')).cookie);
      ok(await a2.request('agent:set-presence', { presence: 'available' }));
      const caller = await connect(quick, '/caller');
      const firstOffer = a1.next<OfferView>('agent:offer');
      ok(await caller.request('lobby:request', { language: 'kvk', mode: 'video' }));
      const offer1 = await firstOffer; // longest idle first
      const ended = a1.next<{ offerId: string; reason: string }>('agent:offer-ended', 3000);
      const secondOffer = a2.next<OfferView>('agent:offer', 3000);
      expect(await ended).toEqual({ offerId: offer1.offerId, reason: 'expired' });
      const offer2 = await secondOffer;
      expect(offer2.offerId).not.toBe(offer1.offerId);
      const late = await a1.request('agent:accept-offer', { offerId: offer1.offerId });
      expect(late.ok).toBe(false);
      for (const s of [a1, a2, caller]) s.close();
    } finally {
      await quick.stop();
    }
  });
});
