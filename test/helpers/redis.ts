// A real Redis for one test file: its own redis-server on a free port in a temporary directory,
// stopped by its own PID (never by name, never a system service). Debian's redis-server must be
// installed (apt-get install -y redis-server).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
  /**
   * Stops the server with `signal` (SIGTERM: it writes its AOF and exits; SIGKILL: it dies at
   * once) and starts it again on the same port and data directory, resolving once it answers
   * PING. `downForMs` keeps it down that long (an outage longer than the lease's TTL forces a
   * new election); `empty: true` deletes the data files in between (an AOF lost with its disk).
   * Returns when, by `performance.now()`, it answered again.
   */
  restart(options?: { signal?: 'SIGTERM' | 'SIGKILL'; downForMs?: number; empty?: boolean }): Promise<number>;
}

export interface RedisOptions {
  /** `always` or `everysec` (Redis's default): when the AOF is fsynced. */
  appendfsync?: 'always' | 'everysec';
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

export async function startRedis(options: RedisOptions = {}): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'relay-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  args.push('--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'everysec', '--save', '');
  const launch = async () => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const server = await superviseServer(child, {
      name: 'redis-server',
      dir,
      missing: "the Redis tests need Debian's redis-server: apt-get install -y redis-server",
      ready: () => answersPing(port),
      notReady: `did not answer PING on ${port}`,
    });
    return { child, server };
  };
  let current = await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => current.server.stop(),
    async restart({ signal = 'SIGTERM', downForMs = 0, empty = false } = {}) {
      const { child } = current;
      // By its own PID; its supervisor's stop() would also remove the data directory.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(signal);
        await exited;
      }
      await new Promise((resolve) => setTimeout(resolve, downForMs));
      if (empty) {
        await rm(join(dir, 'appendonlydir'), { recursive: true, force: true });
        await rm(join(dir, 'dump.rdb'), { force: true });
      }
      current = await launch();
      return performance.now();
    },
  };
}
