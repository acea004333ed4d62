// `npm run bench:cluster [rounds] [calls]`: three nodes of one centre in this process, on a real
// Redis and PostgreSQL (started here, in temporary directories).
// 1. What forwarding call control to the lobby's leader costs a signalling round trip: one agent's
//    socket on the leader and one on a follower ask the same thing in turn, in the same run.
// 2. How calls spread: many calls made through the real signalling (sockets on all three nodes),
//    where each was hosted, and what a media request costs by path (socket on the leader or not,
//    media on the leader or another node), interleaved in the same run.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { createApp, type App } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { createLogger } from '../server/src/logger';
import { createDatabase, startPostgres } from '../test/helpers/postgres';
import { startRedis } from '../test/helpers/redis';
import { until } from '../test/helpers/waiting';

const ROUNDS = Number(process.argv[2] ?? 400);
const CALLS = Number(process.argv[3] ?? 30);
const MEDIA_ROUNDS = 10;
const PASSWORD = 'correct horse battery staple';

async function node(nodeId: string, redisUrl: string, databaseUrl: string): Promise<App> {
  const config = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      RTC_LISTEN_IP: '127.0.0.1',
      RTC_PORT: '0',
      MEDIA_WORKERS: '1',
      REDIS_URL: redisUrl,
      DATABASE_URL: databaseUrl,
      NODE_ID: nodeId,
      LOG_LEVEL: 'silent',
      // Every caller here comes from 127.0.0.1.
      CALL_REQUESTS_PER_MINUTE: '100000',
    },
    fs.mkdtempSync(path.join(os.tmpdir(), 'bench-client-')),
  );
  return createApp(config, { log: createLogger('silent') });
}

async function agentSocket(app: App, username: string, languages = ['ko']): Promise<Socket> {
  await app.store.accounts.create({
    username,
    displayName: username,
    role: 'agent',
    languages,
    password: PASSWORD,
  });
  const res = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
  const socket = io(`${app.url}/agent`, {
    transports: ['websocket'],
    forceNew: true,
    extraHeaders: { cookie },
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
  return socket;
}

type Ack = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

function request<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    socket.timeout(10_000).emit(event, payload, (err: Error | null, ack: Ack) => {
      if (err) reject(err);
      else if (ack.ok) resolve(ack.data as T);
      else reject(new Error(`${event}: ${ack.error.code} ${ack.error.message}`));
    }),
  );
}

function next<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (value: T) => resolve(value)));
}

async function callerSocket(app: App): Promise<Socket> {
  const socket = io(`${app.url}/caller`, { transports: ['websocket'], forceNew: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
  return socket;
}

interface BenchCall {
  caller: Socket;
  agent: Socket;
  callerNode: App;
  sessionId: string;
}

/** A kvk caller on one node, an agent on another: offered, accepted, both joined. */
async function makeCall(i: number, callerNode: App, agentNode: App): Promise<BenchCall> {
  const agent = await agentSocket(agentNode, `spread-agent-${i}`, ['kvk']);
  const caller = await callerSocket(callerNode);
  await request(caller, 'lobby:request', { language: 'kvk', mode: 'video' });
  const offered = next<{ offerId: string }>(agent, 'agent:offer');
  await request(agent, 'agent:set-presence', { presence: 'available' });
  const { offerId } = await offered;
  const matched = next<{ token: string }>(caller, 'lobby:matched');
  const { token } = await request<{ token: string }>(agent, 'agent:accept-offer', { offerId });
  await request(agent, 'session:join', { token });
  const joined = await request<{ sessionId: string }>(caller, 'session:join', {
    token: (await matched).token,
  });
  return { caller, agent, callerNode, sessionId: joined.sessionId };
}

function ask(socket: Socket, presence: 'away' | 'available'): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) =>
    socket.emit('agent:set-presence', { presence }, (ack: { ok: boolean }) =>
      ack.ok
        ? resolve(Number(process.hrtime.bigint() - start) / 1e6)
        : reject(new Error(JSON.stringify(ack))),
    ),
  );
}

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

async function main(): Promise<void> {
  const redis = await startRedis();
  const postgres = await startPostgres();
  const apps: App[] = [];
  try {
    const databaseUrl = await createDatabase(postgres.url);
    apps.push(await node('bench-a', redis.url, databaseUrl));
    await until(() => apps.some((a) => a.cluster?.leading()), 20_000);
    apps.push(await node('bench-b', redis.url, databaseUrl), await node('bench-c', redis.url, databaseUrl));
    const leader = apps.find((a) => a.cluster?.leading()) as App;
    const follower = apps.find((a) => a !== leader) as App;
    const local = await agentSocket(leader, 'on-leader');
    const forwarded = await agentSocket(follower, 'on-follower');
    const times = { local: [] as number[], forwarded: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      const presence = i % 2 === 0 ? 'away' : 'available';
      // Interleaved, so both see the same machine at the same moment.
      times.local.push(await ask(local, presence));
      times.forwarded.push(await ask(forwarded, presence));
    }
    // The first rounds warm connections and code paths up; they are not what a centre sees.
    const warm = (xs: number[]) => xs.slice(Math.floor(xs.length / 10));
    const l = warm(times.local);
    const f = warm(times.forwarded);
    console.log(`signalling round trip, agent:set-presence ack, ${l.length} rounds each (after warm-up):`);
    console.log('                       p50 ms   p99 ms');
    console.log(
      `socket on the leader   ${quantile(l, 0.5).toFixed(2).padStart(6)}   ${quantile(l, 0.99).toFixed(2).padStart(6)}`,
    );
    console.log(
      `socket on a follower   ${quantile(f, 0.5).toFixed(2).padStart(6)}   ${quantile(f, 0.99).toFixed(2).padStart(6)}`,
    );
    console.log(
      `added by forwarding    ${(quantile(f, 0.5) - quantile(l, 0.5)).toFixed(2).padStart(6)} (p50), ratio ${(quantile(f, 0.5) / quantile(l, 0.5)).toFixed(2)}×`,
    );
    local.close();
    forwarded.close();
    await spread(apps, leader);
  } finally {
    for (const a of apps) await a.close();
    await redis.stop();
    await postgres.stop();
  }
}

/** Phase 2: calls made across the nodes, where they were hosted, and media round trips by path. */
async function spread(apps: App[], leader: App): Promise<void> {
  // Let every node's first load report land on the board.
  await new Promise((r) => setTimeout(r, 2500));
  const calls: BenchCall[] = [];
  const started = Date.now();
  // Callers change node every three calls while hosts go round: every (socket, media) pairing occurs.
  for (let i = 0; i < CALLS; i++) {
    const callerAt = Math.floor(i / 3) % 3;
    calls.push(await makeCall(i, apps[callerAt]!, apps[(callerAt + 1) % 3]!));
  }
  const setUpMs = (Date.now() - started) / CALLS;
  const hosts = new Map(leader.calls.sessions.all().map((s) => [s.id, s.media.hostNodeId]));
  console.log(
    `\n${CALLS} calls made through the signalling (caller and agent sockets on different nodes), ${setUpMs.toFixed(0)} ms each:`,
  );
  console.log('node      hosted calls   routers   leader');
  for (const a of apps) {
    const id = a.cluster!.nodeId;
    const hosted = [...hosts.values()].filter((h) => h === id).length;
    console.log(
      `${id.padEnd(9)} ${String(hosted).padStart(12)}   ${String(a.pool.routerCount).padStart(7)}   ${a === leader ? 'yes' : ''}`,
    );
  }
  // Media requests (a recv transport, then closed with the call) by where the socket and the media are.
  const paths = new Map<string, number[]>();
  for (let round = 0; round < MEDIA_ROUNDS; round++) {
    for (const call of calls) {
      const socketOnLeader = call.callerNode === leader;
      const mediaOnLeader = hosts.get(call.sessionId) === leader.cluster!.nodeId;
      const key = `socket on ${socketOnLeader ? 'leader  ' : 'follower'}, media on ${mediaOnLeader ? 'leader' : 'another node'}`;
      const t0 = process.hrtime.bigint();
      await request(call.caller, 'media:create-transport', { direction: 'recv' });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (round > 0) (paths.get(key) ?? paths.set(key, []).get(key)!).push(ms);
    }
  }
  console.log(
    `\nmedia:create-transport round trip by path, ${MEDIA_ROUNDS - 1} rounds per call (after one warm-up), interleaved:`,
  );
  console.log('path                                          n   p50 ms   p99 ms');
  for (const [key, xs] of [...paths].sort()) {
    console.log(
      `${key.padEnd(42)} ${String(xs.length).padStart(4)}   ${quantile(xs, 0.5).toFixed(2).padStart(6)}   ${quantile(xs, 0.99).toFixed(2).padStart(6)}`,
    );
  }
  for (const call of calls) {
    await request(call.caller, 'session:hangup', {}).catch(() => undefined);
    call.caller.close();
    call.agent.close();
  }
}

// Sockets, timers and Redis clients of three apps may linger a moment after close: a bench ends here.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
