// The lobby's leader dies (SIGKILL: no drain, no goodbye) with a live call and a caller waiting.
// Two node processes on a real Redis and PostgreSQL; every socket is on the node that survives.
// The standby takes the lease, reads the desks' state the dead leader left in Redis, and carries
// on: the waiting caller keeps their place, the call goes on (its router where it was, or a new one
// if it was on the dead node), and the call's record is closed once.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OfferView, QueueView, ResumeResult } from '../../../common/protocol';
import type { App } from '../../../server/src/app';
import { openStore, type Store } from '../../../server/src/store';
import { startNodeProcess, type NodeProcess } from '../../helpers/nodeProcess';
import { createDatabase, dropDatabase } from '../../helpers/postgres';
import { startRedis, type TestRedis } from '../../helpers/redis';
import { connect, ok, TEST_PASSWORD, type TestSocket } from '../../helpers/testApp';
import { until } from '../../helpers/waiting';

let redis: TestRedis;
let client: Redis;
let databaseUrl: string;
let store: Store;
const nodes: NodeProcess[] = [];
const sockets: TestSocket[] = [];

/** `connect` needs only the node's URL. */
const at = (node: NodeProcess) => ({ url: node.url }) as unknown as App;

async function leader(): Promise<string | null> {
  const value = await client.get('{relay-lobby}:lease');
  return value === null ? null : value.slice(value.indexOf(':') + 1);
}

async function login(node: NodeProcess, username: string): Promise<string> {
  const res = await fetch(`${node.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: node.url },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in on ${node.nodeId}: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

async function socketOn(node: NodeProcess, ns: '/caller' | '/agent', cookie?: string) {
  const socket = await connect(at(node), ns, cookie);
  sockets.push(socket);
  return socket;
}

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { lazyConnect: true });
  await client.connect();
  databaseUrl = await createDatabase(inject('postgresUrl'));
  nodes.push(await startNodeProcess({ nodeId: 'doomed', redisUrl: redis.url, databaseUrl }));
  await until(async () => (await leader()) === 'doomed', 30_000);
  store = await openStore({ url: databaseUrl });
  await store.accounts.create({
    username: 'survivor-agent',
    displayName: 'Agent Survivor',
    role: 'agent',
    languages: ['kvk', 'ko'],
    password: TEST_PASSWORD,
  });
  await store.accounts.create({
    username: 'second-agent',
    displayName: 'Agent Second',
    role: 'agent',
    languages: ['kvk', 'ko'],
    password: TEST_PASSWORD,
  });
  nodes.push(await startNodeProcess({ nodeId: 'standby', redisUrl: redis.url, databaseUrl }));
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all(nodes.map((n) => n.stop()));
  await store?.close();
  client?.disconnect();
  await redis?.stop();
  if (databaseUrl) await dropDatabase(inject('postgresUrl'), databaseUrl);
});

describe('the lobby leader killed under a live call and a waiting caller', () => {
  it('the standby takes over the desks: the call goes on, the caller keeps their place, an offer in flight is still answerable, each record once', async () => {
    const [doomed, standby] = nodes as [NodeProcess, NodeProcess];
    const agent = await socketOn(standby, '/agent', await login(standby, 'survivor-agent'));
    const caller = await socketOn(standby, '/caller');
    ok(await caller.request<QueueView>('lobby:request', { language: 'kvk', mode: 'video' }));
    const offered = agent.next<OfferView>('agent:offer', 10_000);
    ok(await agent.request('agent:set-presence', { presence: 'available' }));
    const matched = caller.next<{ token: string }>('lobby:matched', 10_000);
    const { token } = ok(
      await agent.request<{ token: string }>('agent:accept-offer', { offerId: (await offered).offerId }),
    );
    ok(await agent.request('session:join', { token }));
    ok(await caller.request('session:join', { token: (await matched).token }));
    ok(await caller.request('media:create-transport', { direction: 'send' }));
    expect(await client.scard('relay:directory:sessions')).toBe(1);

    // A second caller, for a language nobody here speaks: they wait.
    const waiting = await socketOn(standby, '/caller');
    const queued = ok(
      await waiting.request<QueueView & { resumeKey: string }>('lobby:request', {
        language: 'vi',
        mode: 'video',
      }),
    );
    expect(queued.position).toBe(1);

    // A third caller is being offered to a second agent when the leader dies: the offer is in the
    // lobby (replicated), the caller's line entry in the desks (taken over).
    const second = await socketOn(standby, '/agent', await login(standby, 'second-agent'));
    const third = await socketOn(standby, '/caller');
    const inFlight = second.next<OfferView>('agent:offer', 10_000);
    ok(await second.request('agent:set-presence', { presence: 'available' }));
    ok(await third.request<QueueView>('lobby:request', { language: 'kvk', mode: 'video' }));
    const pendingOffer = await inFlight;
    const restart = {
      caller: caller.next('session:media-restart', 20_000).then(
        () => true,
        () => false,
      ),
      agent: agent.next('session:media-restart', 20_000).then(
        () => true,
        () => false,
      ),
    };
    const [entry] = await Promise.all(
      (await client.smembers('relay:directory:sessions')).map(
        async (id) =>
          JSON.parse((await client.get(`relay:directory:session:${id}`))!) as { hostNodeId: string },
      ),
    );

    const killedAt = Date.now();
    await doomed.kill();

    // Call control answers again once the standby has taken over: a chat message gets through.
    const heard = agent.next<{ text: string }>('chat:message', 20_000);
    await until(async () => (await caller.request('chat:send', { text: 'still there?' })).ok, 15_000);
    const backMs = Date.now() - killedAt;
    expect((await heard).text).toBe('still there?');
    expect(await leader()).toBe('standby');
    process.stdout.write(
      `[leader loss] SIGKILL of the leader → call control answering again on the standby: ${backMs} ms (media host was ${entry?.hostNodeId})\n`,
    );

    // The call's media: on the standby it goes on as it was; on the dead node it was set up anew,
    // and both were told to set media up again.
    if (entry?.hostNodeId === 'doomed') {
      expect(await restart.caller).toBe(true);
      expect(await restart.agent).toBe(true);
    }
    ok(await caller.request('media:create-transport', { direction: 'recv' }));
    ok(await agent.request('media:create-transport', { direction: 'send' }));

    // The offer in flight is still answerable: accepted on the new leader, the caller is matched.
    const thirdMatched = third.next<{ token: string }>('lobby:matched', 10_000);
    const accepted = ok(
      await second.request<{ token: string }>('agent:accept-offer', { offerId: pendingOffer.offerId }),
    );
    expect(accepted.token).toBeTruthy();
    expect((await thirdMatched).token).toBeTruthy();

    // The waiting caller's place is still theirs: taken back on a new connection with their key.
    const back = await socketOn(standby, '/caller');
    const resumed = ok(await back.request<ResumeResult>('lobby:resume', { resumeKey: queued.resumeKey }));
    expect(resumed).toMatchObject({ status: 'waiting', view: { position: 1 } });

    // The call ends; its record is closed once, as completed, and the wrap-up is taken.
    const ended = agent.next('session:ended', 10_000);
    ok(await caller.request('session:hangup', {}));
    await ended;
    ok(await agent.request('agent:wrap-up', { resolved: true }));
    await until(async () => (await store.calls.list({})).some((r) => r.outcome === 'completed'), 10_000);
    const records = await store.calls.list({});
    // One record per caller: the first call's closed as completed, the third's answered.
    const kvk = records.filter((r) => r.callerLanguage === 'kvk');
    expect(kvk).toHaveLength(2);
    expect(kvk.filter((r) => r.outcome === 'completed' && r.resolved === true)).toHaveLength(1);
    expect(kvk.filter((r) => r.answeredAt !== null)).toHaveLength(2);
    // The waiting caller's record is there, still open.
    expect(records.filter((r) => r.callerLanguage === 'vi' && r.endedAt === null)).toHaveLength(1);
  }, 90_000);
});
