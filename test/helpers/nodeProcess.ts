// One node of a cluster as a real process, started the way an operator starts it (server/src/main.ts
// with its environment), on loopback with free ports. Its output is kept to explain a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, until } from './waiting';

/** Every node's /metrics is on PORT behind this token (tests read routers per node from it). */
export const NODE_METRICS_TOKEN = 'test-node-metrics-token-0123456789';

export interface NodeProcess {
  nodeId: string;
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** The last lines the node wrote (stderr and stdout), for a failing test's message. */
  output(): string;
  /** SIGTERM, then waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL (no drain, no goodbye: a crashed machine), then waits for it to be gone. */
  kill(): Promise<void>;
}

/** A cluster node with `redisUrl` and `databaseUrl`; without them, the one-process default (give DATABASE_PATH). */
export async function startNodeProcess(options: {
  nodeId: string;
  redisUrl?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
}): Promise<NodeProcess> {
  const port = await freePort();
  const rtcPort = await freePort();
  const cluster = options.redisUrl
    ? { NODE_ID: options.nodeId, REDIS_URL: options.redisUrl, DATABASE_URL: options.databaseUrl ?? '' }
    : { DATABASE_URL: '' };
  const env = {
    ...process.env,
    ...cluster,
    PORT: String(port),
    HOST: '127.0.0.1',
    RTC_LISTEN_IP: '127.0.0.1',
    ANNOUNCED_ADDRESS: '127.0.0.1',
    RTC_PORT: String(rtcPort),
    MEDIA_WORKERS: '1',
    // A test's stop should not wait the production default for calls it left behind.
    DRAIN_TIMEOUT_MS: '2000',
    LOG_LEVEL: process.env['NODE_LOG_LEVEL'] ?? 'warn',
    METRICS_TOKEN: NODE_METRICS_TOKEN,
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const node: NodeProcess = {
    nodeId: options.nodeId,
    url,
    child,
    exited,
    output: () => lines.slice(-40).join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`${options.nodeId} exited (${child.exitCode})`);
      // Ready, not only alive: workers, store and cluster join are done.
      return fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
    }, 60_000);
  } catch (err) {
    await node.stop();
    throw new Error(`${options.nodeId} did not start: ${(err as Error).message}\n${node.output()}`, {
      cause: err,
    });
  }
  return node;
}
