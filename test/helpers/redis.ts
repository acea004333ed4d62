// A real Redis for one test file: its own redis-server on a free port in a temporary directory,
// stopped by its own PID (never by name, never a system service). Debian's redis-server must be
// installed (apt-get install -y redis-server).
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { superviseServer } from './serverProcess';
import { freePort } from './waiting';

export interface TestRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Stops the server (by its PID) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** True when the server answers PING with PONG (raw RESP, so no client library is involved). */
async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

export async function startRedis(): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'relay-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const { stop } = await superviseServer(child, {
    name: 'redis-server',
    dir,
    missing: "the Redis tests need Debian's redis-server: apt-get install -y redis-server",
    ready: () => answersPing(port),
    notReady: `did not answer PING on ${port}`,
  });
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}
