import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ChatMessage, OfferView, QueueView, TransportView } from '../../../common/protocol';
import { RedisLease } from '../../../server/src/cluster/RedisLease';
import { lobbyKeys } from '../../../server/src/cluster/redisKeys';
import { RESEED_GAP } from '../../../server/src/cluster/ReplicatedLobby';
import { connectCall, type EstablishedCall } from '../../helpers/calls';
import { createDatabase, dropDatabase } from '../../helpers/postgres';
import { startRedis, type TestRedis } from '../../helpers/redis';
import {
  connect,
  fakeRtpParameters,
  ok,
  TEST_PASSWORD,
  type TestApp,
  type TestSocket,
} from '../../helpers/testApp';
import { startTestApp } from '../../helpers/testApp';
import { until } from '../../helpers/waiting';

// Issue 10, item 4a: Redis restarts under two nodes (same port, same data directory, AOF on) while
// two callers wait in line and a call is live. Once it answers again, one node leads under a newer
// epoch, both lobbies still hold the same two callers at the same places and join times, the call
// goes on, a new command is applied, and sign-ins made before still work.
let redis: TestRedis;
let databaseUrl: string;
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  redis = await startRedis();
  databaseUrl = await createDatabase(inject('postgresUrl'));
  const env = (nodeId: string) => ({ REDIS_URL: redis.url, DATABASE_URL: databaseUrl, NODE_ID: nodeId });
  a = await startTestApp(env('node-a'));
  b = await startTestApp(env('node-b'));
  await until(() => a.cluster?.leading() === true || b.cluster?.leading() === true);
}, 60_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
  if (databaseUrl) await dropDatabase(inject('postgresUrl'), databaseUrl);
});

/** Asks Redis on a connection of its own (so no node's client is involved). */
async function askRedis<T>(ask: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return await ask(client);
  } finally {
    client.disconnect();
  }
}
/** The lease's epoch counter. */
const epochNow = () => askRedis(async (c) => (await new RedisLease(c).current()).epoch);

/** Who waits, in which order, since when: each node's own copy. */
const line = (app: TestApp) =>
  app
    .cluster!.engine.lobby.snapshotState()
    .line.callers.map((c) => ({ id: c.id, arrivedAt: c.arrivedAt }))
    .sort((x, y) => x.arrivedAt - y.arrivedAt);
const leaders = () => [a, b].filter((n) => n.cluster?.leading() === true);

interface Scene {
  call: EstablishedCall;
  producerId: string;
  agent: TestSocket;
  agentCookie: string;
  callers: [TestSocket, TestSocket];
  close(): void;
}

/** A live call with a camera (caller on A, agent on B), an agent signed in but away, two callers waiting. */
async function scene(tag: string): Promise<Scene> {
  const live = await b.addAgent(`${tag}-live`);
  const call = await connectCall(await connect(b, '/agent', live.cookie), await connect(a, '/caller'));
  const send = ok(await call.caller.request<TransportView>('media:create-transport', { direction: 'send' }));
  const added = call.agent.next<{ producerId: string }>('session:producer-added');
  const { producerId } = ok(
    await call.caller.request<{ producerId: string }>('media:produce', {
      transportId: send.id,
      kind: 'video',
      rtpParameters: fakeRtpParameters('video', 4321),
      source: 'camera',
    }),
  );
  expect((await added).producerId).toBe(producerId);
  // Signed in on A (the sign-in is in Redis), connected on B, not available yet.
  const { cookie: agentCookie } = await a.addAgent(`${tag}-next`);
  const agent = await connect(b, '/agent', agentCookie);
  const first = await connect(a, '/caller');
  const second = await connect(b, '/caller');
  expect(
    ok(await first.request<QueueView>('lobby:request', { language: 'kvk', mode: 'video' })).position,
  ).toBe(1);
  expect(
    ok(await second.request<QueueView>('lobby:request', { language: 'kvk', mode: 'video' })).position,
  ).toBe(2);
  const sockets = [call.caller, call.agent, agent, first, second];
  return {
    call,
    producerId,
    agent,
    agentCookie,
    callers: [first, second],
    close: () => sockets.forEach((s) => s.close()),
  };
}

/** What must hold once Redis is back; returns ms from Redis answering to a leader and a command applied. */
async function survives(
  s: Scene,
  before: { epoch: number; waiting: ReturnType<typeof line> },
  backAt: number,
  outlivedLease: boolean,
) {
  // Exactly one node leads again. After an outage longer than the lease's TTL, under an epoch
  // newer than any before (the counter survived in the AOF); after a short one the leader may
  // simply have renewed its lease, which Redis kept too.
  await until(
    async () => leaders().length === 1 && (!outlivedLease || (await epochNow()) > before.epoch),
    15_000,
  );
  const ledAt = performance.now();
  expect(await epochNow()).toBeGreaterThanOrEqual(before.epoch);

  // A new command: the agent goes available and is offered the first caller, whom the lobby kept.
  const offered = s.agent.next<OfferView>('agent:offer', 10_000);
  ok(await s.agent.request('agent:set-presence', { presence: 'available' }));
  const appliedAt = performance.now();
  const offer = await offered;
  expect(offer.waitedMs).toBeGreaterThan(0);
  expect(leaders()).toHaveLength(1);

  // Both lobbies: the same two callers, same order, same join times as before the restart.
  await until(() => JSON.stringify(line(a)) === JSON.stringify(line(b)));
  expect(line(a)).toEqual(before.waiting);
  const [first, second] = s.callers;
  expect([first.connected, second.connected]).toEqual([true, true]);

  // Accepting takes the first out of line: the second is told it is first now.
  const moved = new Promise<QueueView>((resolve) => {
    const seen = (view: QueueView) => {
      if (view.position !== 1) return; // periodic updates may still say 2 before the accept lands
      second.off('lobby:position', seen);
      resolve(view);
    };
    second.on('lobby:position', seen);
  });
  const matched = first.next<{ token: string }>('lobby:matched', 10_000);
  ok(await s.agent.request('agent:accept-offer', { offerId: offer.offerId }));
  expect((await moved).position).toBe(1); // (the test's timeout bounds this wait)
  await matched;

  // The live call goes on: chat crosses nodes, and the caller's camera can still be consumed.
  const heard = s.call.agent.next<ChatMessage>('chat:message');
  ok(await s.call.caller.request('chat:send', { text: 'Redis는 돌아왔어요' }));
  expect((await heard).text).toBe('Redis는 돌아왔어요');
  const recv = ok(await s.call.agent.request<TransportView>('media:create-transport', { direction: 'recv' }));
  const consumer = ok(
    await s.call.agent.request<{ producerId: string }>('media:consume', {
      transportId: recv.id,
      producerId: s.producerId,
      rtpCapabilities: s.call.agentJoin.routerRtpCapabilities,
    }),
  );
  expect(consumer.producerId).toBe(s.producerId);

  // Every entry reached the standby once: the two lobbies are the same, deadlines and all.
  const whole = (n: TestApp) => JSON.stringify(n.cluster!.engine.lobby.snapshotState());
  await until(() => whole(a) === whole(b));

  // A sign-in made before the restart works on either node.
  for (const node of [a, b]) {
    const me = await fetch(`${node.url}/api/auth/me`, { headers: { cookie: s.agentCookie } });
    expect(me.status).toBe(200);
  }
  return { toLeaderMs: ledAt - backAt, toCommandMs: appliedAt - backAt };
}

async function restartUnder(tag: string, restart: () => Promise<number>, outlivedLease = false) {
  const s = await scene(tag);
  try {
    await until(() => JSON.stringify(line(a)) === JSON.stringify(line(b)) && line(a).length === 2);
    const before = { epoch: await epochNow(), waiting: line(a) };
    const backAt = await restart();
    const took = await survives(s, before, backAt, outlivedLease);
    process.stdout.write(
      `redis restart (${tag}): a leader ${Math.round(took.toLeaderMs)} ms and a command applied ` +
        `${Math.round(took.toCommandMs)} ms after Redis answered again\n`,
    );
    ok(await s.call.caller.request('session:hangup', {}));
    ok(await s.callers[1].request('lobby:cancel', {}));
  } finally {
    s.close();
  }
  // Nobody left waiting before the next scene.
  await until(() => line(a).length === 0 && line(b).length === 0, 15_000);
}

describe('Redis restarting under two nodes', () => {
  it('SIGTERM (the AOF is written on the way out), down for longer than the lease: no waiting caller is lost', async () => {
    // 3.5 s > the lease's 3 s TTL: the lease has expired when Redis is back, so a new election.
    await restartUnder('sigterm', () => redis.restart({ signal: 'SIGTERM', downForMs: 3500 }), true);
  }, 60_000);

  it('SIGKILL with appendfsync always: no waiting caller is lost', async () => {
    const admin = new Redis(redis.url);
    await admin.config('SET', 'appendfsync', 'always');
    admin.disconnect();
    await restartUnder('sigkill-always', () => redis.restart({ signal: 'SIGKILL' }));
  }, 60_000);

  it('SIGKILL with appendfsync everysec: the process dies, the kernel keeps what it wrote', async () => {
    await restartUnder('sigkill-everysec', () => redis.restart({ signal: 'SIGKILL' }));
  }, 60_000);

  it('Redis back EMPTY (AOF lost): the leader starts the log again from its lobby; no waiting caller is lost', async () => {
    const s = await scene('empty');
    try {
      await until(() => JSON.stringify(line(a)) === JSON.stringify(line(b)) && line(a).length === 2);
      const before = { epoch: await epochNow(), waiting: line(a), leader: leaders()[0]?.cluster?.nodeId };
      const backAt = await redis.restart({ signal: 'SIGKILL', empty: true });
      // The leader lost its lease with everything else, won it again, found the log behind its
      // lobby and wrote a snapshot of it at a fresh position; the epoch counter is above the old one.
      const position = () => askRedis((c) => c.get(lobbyKeys().position));
      await until(async () => Number(await position()) > RESEED_GAP && leaders().length === 1, 15_000);
      const reseededMs = performance.now() - backAt;
      expect(leaders().map((n) => n.cluster?.nodeId)).toEqual([before.leader]);
      expect(await epochNow()).toBeGreaterThanOrEqual(before.epoch);
      await until(() => JSON.stringify(line(a)) === JSON.stringify(line(b)));
      expect(line(b)).toEqual(before.waiting);

      // Sign-ins were in Redis: gone. The agent signs in again and is offered the first caller.
      const me = await fetch(`${a.url}/api/auth/me`, { headers: { cookie: s.agentCookie } });
      expect(me.status).toBe(401);
      const cookie = await b.login('empty-next', TEST_PASSWORD);
      const agent = await connect(a, '/agent', cookie);
      try {
        const offered = agent.next<OfferView>('agent:offer', 10_000);
        ok(await agent.request('agent:set-presence', { presence: 'available' }));
        expect((await offered).waitedMs).toBeGreaterThan(0);
      } finally {
        agent.close();
      }
      // The live call goes on: its Session is in the leader's memory and its router on its host, so
      // the caller's requests still work. (The agent's socket, like every staff socket, is signed
      // out at the next sign-in check: its sign-in was in Redis.)
      const leader = leaders()[0]!;
      const call = leader.calls.sessions.all().find((c) => c.id === s.call.callerJoin.sessionId);
      expect(call?.ended).toBe(false);
      ok(await s.call.caller.request('media:create-transport', { direction: 'recv' }));
      process.stdout.write(
        `redis back empty: log started again ${Math.round(reseededMs)} ms after Redis answered\n`,
      );
    } finally {
      s.close();
    }
  }, 60_000);
});
