import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessages } from '../../../common/protocol';
import { establishCall } from '../../helpers/calls';
import { connect, fakeRtpParameters, ok, startTestApp, type TestApp } from '../../helpers/testApp';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.stop();
});

// Garbage of several shapes; each must be refused by every event. (null is how socket.io sends "no
// payload", which events without one accept.)
const garbage: unknown[] = [
  42,
  'text',
  null,
  [1, 2],
  { unexpected: true },
  { language: 'x'.repeat(500), mode: 'fax' },
];
const garbageFor = (event: keyof typeof ClientMessages) =>
  garbage.filter((p) => !(p === null && ClientMessages[event].safeParse(null).success));
// A socket sending this much garbage is disconnected (signaling/badInput.ts): one socket per event.

describe('every inbound message is parsed before it touches state', () => {
  it('rejects malformed payloads on every event of the caller namespace, and nothing changes', async () => {
    for (const event of Object.keys(ClientMessages) as (keyof typeof ClientMessages)[]) {
      const caller = await connect(app, '/caller');
      for (const payload of garbageFor(event)) {
        const ack = await caller.request(event, payload);
        expect(ack.ok, `${event} ${JSON.stringify(payload)}`).toBe(false);
        if (!ack.ok) expect(['invalid-payload', 'unknown-event']).toContain(ack.error.code);
      }
      caller.close();
    }
    // Nothing reached the lobby, the store or the media workers.
    expect(app.calls.overview().callersWaiting).toBe(0);
    expect(await app.store.calls.list()).toEqual([]);
    expect(app.pool.routerCount).toBe(0);
  });

  it('rejects malformed payloads on every agent event too', async () => {
    const { cookie } = await app.addAgent('validator');
    for (const event of Object.keys(ClientMessages) as (keyof typeof ClientMessages)[]) {
      const agent = await connect(app, '/agent', cookie);
      for (const payload of garbageFor(event)) {
        const ack = await agent.request(event, payload);
        expect(ack.ok, `${event} ${JSON.stringify(payload)}`).toBe(false);
      }
      agent.close();
    }
    expect(app.calls.agents.presenceOf((await app.store.accounts.findByUsername('validator'))!.id)).toBe(
      'offline',
    );
  });

  it('answers an unknown event with unknown-event and an invalid language with invalid-payload', async () => {
    const caller = await connect(app, '/caller');
    expect(await caller.request('no:such-event', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-event' },
    });
    expect(
      await caller.request('lobby:request', { language: 'not a language!', mode: 'video' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
    caller.close();
  });
});

describe('nobody gets in where they do not belong', () => {
  it('refuses an anonymous socket on the agent namespace', async () => {
    await expect(connect(app, '/agent')).rejects.toThrow(/unauthenticated/);
    await expect(connect(app, '/agent', 'relay_session=forged-value')).rejects.toThrow(/unauthenticated/);
  });

  it('refuses agent events sent on the caller namespace', async () => {
    const caller = await connect(app, '/caller');
    expect(await caller.request('agent:set-presence', { presence: 'available' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-event' },
    });
    caller.close();
  });

  it('refuses media operations before joining, and with a forged token', async () => {
    const caller = await connect(app, '/caller');
    expect(await caller.request('media:create-transport', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await caller.request('session:join', { token: 'x'.repeat(32) })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    caller.close();
  });

  it("keeps one call's participants out of another call's transports and producers", async () => {
    const a = await establishCall(app, 'isolation-a');
    const b = await establishCall(app, 'isolation-b');
    expect(a.callerJoin.sessionId).not.toBe(b.callerJoin.sessionId);

    const bSend = ok(await b.agent.request<{ id: string }>('media:create-transport', { direction: 'send' }));
    const { producerId } = ok(
      await b.agent.request<{ producerId: string }>('media:produce', {
        transportId: bSend.id,
        kind: 'audio',
        rtpParameters: fakeRtpParameters('audio', 2222),
        source: 'microphone',
      }),
    );
    const aRecv = ok(await a.caller.request<{ id: string }>('media:create-transport', { direction: 'recv' }));

    // A's caller names B's producer and B's transport: both are simply not theirs.
    expect(
      await a.caller.request('media:consume', {
        transportId: aRecv.id,
        producerId,
        rtpCapabilities: a.callerJoin.routerRtpCapabilities,
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(
      await a.caller.request('media:connect-transport', {
        transportId: bSend.id,
        dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA:BB' }] },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await a.caller.request('media:set-producer-paused', { producerId, paused: true })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    // Nor can the caller send on a receive transport.
    expect(
      await a.caller.request('media:produce', {
        transportId: aRecv.id,
        kind: 'video',
        rtpParameters: fakeRtpParameters('video', 3333),
        source: 'camera',
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });

    for (const s of [a.caller, a.agent, b.caller, b.agent]) s.close();
  });
});

describe('anonymous callers are welcome, floods are not', () => {
  it('refuses call requests past the per-address limit with a clear error', async () => {
    const limited = await startTestApp({ CALL_REQUESTS_PER_MINUTE: '4' });
    try {
      const caller = await connect(limited, '/caller');
      const answers = [];
      for (let i = 0; i < 3; i++) {
        answers.push(await caller.request('lobby:request', { language: 'ko', mode: 'video' }));
        await caller.request('lobby:cancel');
      }
      expect(answers.map((a) => a.ok)).toEqual([true, true, false]);
      expect(answers[2]).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
      caller.close();
    } finally {
      await limited.stop();
    }
  });

  it('behind TRUST_PROXY, counts per address as the proxy saw it, not as the client claims', async () => {
    const limited = await startTestApp({ CALL_REQUESTS_PER_MINUTE: '4', TRUST_PROXY: 'true' });
    // The proxy appends the address it saw; anything before it is the client's own say-so.
    const via = (seen: string, claimed?: string) =>
      connect(limited, '/caller', undefined, {
        'x-forwarded-for': claimed ? `${claimed}, ${seen}` : seen,
      });
    const tryCall = async (caller: Awaited<ReturnType<typeof via>>) => {
      const answer = await caller.request('lobby:request', { language: 'ko', mode: 'video' });
      if (answer.ok) await caller.request('lobby:cancel');
      return answer.ok;
    };
    try {
      const first = await via('203.0.113.5');
      expect([await tryCall(first), await tryCall(first), await tryCall(first)]).toEqual([true, true, false]);
      // Claiming another address in front of the proxy's changes nothing.
      const forged = await via('203.0.113.5', '198.51.100.1');
      expect(await tryCall(forged)).toBe(false);
      // A neighbour the proxy saw as another address has a budget of their own.
      const other = await via('203.0.113.6');
      expect(await tryCall(other)).toBe(true);
      for (const s of [first, forged, other]) s.close();
    } finally {
      await limited.stop();
    }
  });
});
