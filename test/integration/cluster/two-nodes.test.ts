import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ChatMessage, OfferView, QueueView, TransportView } from '../../../common/protocol';
import { createDatabase, dropDatabase } from '../../helpers/postgres';
import { startRedis, type TestRedis } from '../../helpers/redis';
import { establishCall } from '../../helpers/calls';
import { connect, ok, startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';
import { until } from '../../helpers/waiting';

// Two nodes of one centre on a real Redis and a real PostgreSQL, in one test process: each node is
// a whole app (HTTP, signalling, media worker) on its own ports, as `npm run cluster` runs them.
let redis: TestRedis;
let databaseUrl: string;
let a: TestApp;
let b: TestApp;
const TURN_SECRET = 'cluster-static-auth-secret';

beforeAll(async () => {
  redis = await startRedis();
  databaseUrl = await createDatabase(inject('postgresUrl'));
  const env = (nodeId: string) => ({
    REDIS_URL: redis.url,
    DATABASE_URL: databaseUrl,
    NODE_ID: nodeId,
    // The same TURN secret on every node, as in production.
    TURN_URLS: 'turn:turn.example.org:3478',
    TURN_SECRET: TURN_SECRET,
  });
  a = await startTestApp(env('node-a'));
  b = await startTestApp(env('node-b'));
  // One of them leads the lobby within the lease's first rounds.
  await until(() => a.cluster?.leading() === true || b.cluster?.leading() === true);
}, 60_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
  if (databaseUrl) await dropDatabase(inject('postgresUrl'), databaseUrl);
});

describe('one centre on two nodes', () => {
  it('has exactly one leader, and the same lobby on both', async () => {
    expect([a.cluster?.leading(), b.cluster?.leading()].filter(Boolean)).toHaveLength(1);
  });

  it('a caller whose socket is on one node reaches an agent on the other; chat crosses nodes', async () => {
    // The agent signs in on node B: the session is shared, so node A also knows it.
    await a.store.accounts.create({
      username: 'cross-agent',
      displayName: 'Agent Cross',
      role: 'agent',
      languages: ['kvk', 'ko'],
      password: TEST_PASSWORD,
    });
    const cookie = await b.login('cross-agent', TEST_PASSWORD);
    await a.store.accounts.create({
      username: 'cross-supervisor',
      displayName: 'Supervisor Cross',
      role: 'supervisor',
      languages: ['ko'],
      password: TEST_PASSWORD,
    });
    const supervisorCookie = await a.login('cross-supervisor', TEST_PASSWORD);
    const agent = await connect(a, '/agent', cookie);
    const caller = await connect(b, '/caller');
    try {
      ok(await caller.request<QueueView>('lobby:request', { language: 'kvk', mode: 'video' }));
      const offered = agent.next<OfferView>('agent:offer');
      ok(await agent.request('agent:set-presence', { presence: 'available' }));
      const offer = await offered;
      expect(offer.language).toBe('kvk');
      const matched = caller.next<{ token: string }>('lobby:matched');
      const { token } = ok(
        await agent.request<{ token: string }>('agent:accept-offer', { offerId: offer.offerId }),
      );
      const agentJoin = ok(await agent.request<{ role: string }>('session:join', { token }));
      const callerJoin = ok(
        await caller.request<{ role: string; routerRtpCapabilities: unknown }>('session:join', {
          token: (await matched).token,
        }),
      );
      expect([agentJoin.role, callerJoin.role]).toEqual(['agent', 'caller']);
      expect(callerJoin.routerRtpCapabilities).toBeTruthy();

      // Call control ran on the leader only: the follower's requests were forwarded to it.
      const [leader, follower] = a.cluster?.leading() ? [a, b] : [b, a];
      expect(leader.calls.sessions.size).toBe(1);
      expect(follower.calls.sessions.size).toBe(0);

      const heard = agent.next<ChatMessage>('chat:message');
      ok(await caller.request('chat:send', { text: '안녕하세요 across nodes' }));
      expect((await heard).text).toBe('안녕하세요 across nodes');

      // The supervisor's figures are the centre's, whichever node answers.
      for (const node of [a, b]) {
        const res = await fetch(`${node.url}/api/supervisor/overview`, {
          headers: { cookie: supervisorCookie },
        });
        expect(res.status).toBe(200);
        const overview = (await res.json()) as { sessions: number; agentsByPresence: Record<string, number> };
        expect(overview.sessions).toBe(1);
        expect(overview.agentsByPresence['in-call']).toBe(1);
      }
      const ended = agent.next<{ reason: string }>('session:ended');
      ok(await caller.request('session:hangup', {}));
      expect((await ended).reason).toBe('hangup');

      // The call's event log is written once for the cluster (by the leader), not once per node.
      const logged = async () => (await a.store.history.range(0, Date.now() + 1)).events;
      await until(async () => (await logged()).some((e) => e.type === 'ended'));
      expect((await logged()).map((e) => e.type).sort()).toEqual([
        'answered',
        'ended',
        'fallback-offered',
        'offered',
        'queued',
      ]);
      expect((await logged()).find((e) => e.type === 'ended')).toMatchObject({ by: 'caller' });
      for (const node of [a, b]) {
        const res = await fetch(`${node.url}/api/supervisor/figures?period=today`, {
          headers: { cookie: supervisorCookie },
        });
        expect((await res.json()) as { total: { calls: number; answered: number } }).toMatchObject({
          total: { calls: 1, answered: 1 },
        });
      }
    } finally {
      agent.close();
      caller.close();
    }
  });

  it('hosts each call on the least-loaded node: two calls at once land on both, and media works on each', async () => {
    const first = await establishCall(a, 'spread-1');
    const second = await establishCall(b, 'spread-2');
    try {
      const [leader] = a.cluster?.leading() ? [a, b] : [b, a];
      const hosts = leader.calls.sessions.all().map((s) => s.media.hostNodeId);
      // The second call saw the first counted against its host, whatever the nodes last reported.
      expect(hosts.sort()).toEqual(['node-a', 'node-b']);
      expect([a.pool.routerCount, b.pool.routerCount]).toEqual([1, 1]);
      // Every node can read the calls: where each is hosted and who may join, by token hash only.
      const follower = leader === a ? b : a;
      const directory = follower.cluster!.directory;
      const listed = await directory.list();
      expect(listed.map((e) => e.hostNodeId).sort()).toEqual(['node-a', 'node-b']);
      for (const call of [first, second]) {
        const seat = await directory.authorize(call.tokens.caller);
        expect(seat).toMatchObject({ sessionId: call.callerJoin.sessionId, role: 'caller' });
        const entry = await directory.get(call.callerJoin.sessionId);
        expect(entry?.participants.map((p) => p.role).sort()).toEqual(['agent', 'caller']);
        expect(JSON.stringify(entry)).not.toContain(call.tokens.caller);
      }
      expect(await directory.authorize('not-a-token')).toBeNull();
      // A staff seat is bound to its account there too; a leaked agent token forwarded from the
      // follower to the leader admits no other agent.
      const agentSeat = await directory.authorize(first.tokens.agent);
      const firstAgent = await follower.store.accounts.findByUsername('spread-1');
      expect(agentSeat).toMatchObject({ role: 'agent', accountId: firstAgent!.id });
      const intruder = await connect(follower, '/agent', (await follower.addAgent('spread-intruder')).cookie);
      expect(await intruder.request('session:join', { token: first.tokens.agent })).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: 'this join token was issued to another agent' },
      });
      intruder.close();
      for (const call of [first, second]) {
        // Transports come from the host's WebRtcServer, whichever node the socket is on.
        const send = ok(
          await call.caller.request<TransportView>('media:create-transport', { direction: 'send' }),
        );
        expect(send.iceCandidates.length).toBeGreaterThan(0);
        // TURN credentials come from call control with the shared secret, wherever the call is hosted.
        const [turn] = send.iceServers;
        expect(turn?.username).toMatch(new RegExp(`^\\d+:${call.callerJoin.participantId}$`));
        expect(createHmac('sha1', TURN_SECRET).update(turn!.username).digest('base64')).toBe(
          turn?.credential,
        );
        const refused = await call.agent.request('media:connect-transport', {
          transportId: send.id,
          dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] },
        });
        // Another participant's transport is not theirs to touch, on a remote host as on a local one.
        expect(refused).toMatchObject({ ok: false, error: { code: 'not-found' } });
      }
    } finally {
      for (const call of [first, second]) {
        ok(await call.caller.request('session:hangup', {}));
        call.caller.close();
        call.agent.close();
      }
    }
    // Hang-up frees each router on its own host, and the calls leave the directory.
    await until(() => a.pool.routerCount === 0 && b.pool.routerCount === 0);
    await until(async () => (await a.cluster!.directory.list()).length === 0);
    expect(await a.cluster!.directory.authorize(first.tokens.caller)).toBeNull();
  });

  it('a participant whose connection drops comes back on the other node with its token, and the call goes on', async () => {
    const call = await establishCall(a, 'moving-caller');
    const { sessionId } = call.callerJoin;
    call.caller.close();
    const again = await connect(b, '/caller');
    try {
      const rejoined = ok(
        await again.request<{ sessionId: string; role: string; chat: unknown[] }>('session:join', {
          token: call.tokens.caller,
        }),
      );
      expect(rejoined).toMatchObject({ sessionId, role: 'caller' });
      // The agent's words, sent through node A, reach the caller's new socket on node B.
      const heard = again.next<ChatMessage>('chat:message');
      ok(await call.agent.request('chat:send', { text: 'still here?' }));
      expect((await heard).text).toBe('still here?');
      ok(await again.request('session:hangup', {}));
    } finally {
      again.close();
      call.agent.close();
    }
    await until(() => a.pool.routerCount === 0 && b.pool.routerCount === 0);
  });

  // Last: it leaves node B draining.
  it('a draining node takes no new calls: its callers are refused, and calls are hosted elsewhere', async () => {
    const draining = b;
    const result = await draining.drain(60_000);
    expect(result).toMatchObject({ finished: true, ended: 0 });
    const refused = await connect(draining, '/caller');
    try {
      expect(await refused.request('lobby:request', { language: 'kvk', mode: 'video' })).toMatchObject({
        ok: false,
        error: { code: 'draining' },
      });
    } finally {
      refused.close();
    }
    // B's report says draining at once; both new calls go to A, though B is the idler.
    const calls = [await establishCall(a, 'after-drain-1'), await establishCall(a, 'after-drain-2')];
    try {
      expect([a.pool.routerCount, draining.pool.routerCount]).toEqual([2, 0]);
    } finally {
      for (const call of calls) {
        ok(await call.caller.request('session:hangup', {}));
        call.caller.close();
        call.agent.close();
      }
    }
  });
});
