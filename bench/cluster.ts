// `npm run bench:cluster`: what forwarding call control to the lobby's leader costs a signalling
// round trip. Real Redis and PostgreSQL (started here, in temporary directories), two nodes in
// this process; one agent's socket on the leader and one on the follower ask the same thing
// (go away / go available) in turn, in the same run, and the acks' round trips are compared.
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
    },
    fs.mkdtempSync(path.join(os.tmpdir(), 'bench-client-')),
  );
  return createApp(config, { log: createLogger('silent') });
}

async function agentSocket(app: App, username: string): Promise<Socket> {
  await app.store.accounts.create({
    username,
    displayName: username,
    role: 'agent',
    languages: ['ko'],
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
    apps.push(await node('bench-a', redis.url, databaseUrl), await node('bench-b', redis.url, databaseUrl));
    await until(() => apps.some((a) => a.cluster?.leading()), 20_000);
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
  } finally {
    for (const a of apps) await a.close();
    await redis.stop();
    await postgres.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
