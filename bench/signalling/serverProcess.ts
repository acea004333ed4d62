// The measured server: the real product (createApp, one mediasoup worker, SQLite in a temp dir) in
// a process of its own, so that its memory and event loop carry nothing of the bench's callers.
// Started by run.ts over the fork IPC channel (ipc.ts); run with --expose-gc for clean heap figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp, type App } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';
import { ServerRequest, type Memory, type ServerMessage, type Window } from './ipc';

/** The delay monitor's own timer period: what it reports beyond this is lag. */
const RESOLUTION_MS = 10;
const NS_PER_MS = 1e6;

function send(message: ServerMessage): void {
  process.send?.(message);
}

async function fullGc(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the server process must run with --expose-gc');
  // Twice with a turn of the loop between: weak callbacks and finalizers free more on the second.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function measure(app: App): Promise<Memory> {
  await fullGc();
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    callerSockets: app.io.of('/caller').sockets.size,
    engineClients: app.io.engine.clientsCount,
  };
}

async function start(dir: string): Promise<App> {
  // The product's defaults for every limit (connections per address, calls per minute): the bench's
  // callers come from distinct loopback addresses, as distinct real callers would.
  const config = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      RTC_LISTEN_IP: '127.0.0.1',
      ANNOUNCED_ADDRESS: '127.0.0.1',
      RTC_PORT: '0',
      MEDIA_WORKERS: '1',
      DATABASE_PATH: path.join(dir, 'relay.sqlite'),
      LOG_LEVEL: process.env['SIGNALLING_BENCH_LOG_LEVEL'] ?? 'silent',
    },
    path.join(dir, 'client'),
  );
  const app = await createApp(config, { log: createLogger(config.logLevel) });
  return app;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-signalling-'));
  fs.mkdirSync(path.join(dir, 'client'));
  let app: App | null = null;
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  let windowCpu = process.cpuUsage();
  let windowStart = performance.now();
  const lag = (ns: number) => Math.max(0, ns / NS_PER_MS - RESOLUTION_MS);

  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      delay.disable();
      await app?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    })());
  process.on('disconnect', () => {
    // The bench went away without saying stop: do not outlive it.
    void stop().finally(() => process.exit(0));
  });

  try {
    app = await start(dir);
    send({ type: 'ready', url: app.url });
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    await stop();
    process.exit(1);
  }
  const running = app;

  process.on('message', (raw: unknown) => {
    const parsed = ServerRequest.safeParse(raw);
    if (!parsed.success) {
      console.error('bench server: unreadable request', parsed.error.message);
      return;
    }
    const request = parsed.data;
    const handle = async (): Promise<ServerMessage> => {
      switch (request.type) {
        case 'measure':
          return { type: 'reply', id: request.id, memory: await measure(running) };
        case 'window-start':
          delay.reset();
          windowCpu = process.cpuUsage();
          windowStart = performance.now();
          return { type: 'reply', id: request.id };
        case 'window-end': {
          const cpu = process.cpuUsage(windowCpu);
          const elapsedMs = performance.now() - windowStart;
          const window: Window = {
            lagP50Ms: lag(delay.percentile(50)),
            lagP99Ms: lag(delay.percentile(99)),
            lagMaxMs: lag(delay.max),
            cpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
          };
          return { type: 'reply', id: request.id, window };
        }
        case 'heap-snapshot':
          await fullGc();
          v8.writeHeapSnapshot(request.path);
          return { type: 'reply', id: request.id };
        case 'stop':
          await stop();
          return { type: 'reply', id: request.id };
      }
    };
    handle()
      .then((reply) => {
        send(reply);
        if (request.type === 'stop') process.disconnect();
      })
      .catch((err: unknown) => console.error('bench server: request failed', err));
  });
}

void main();
