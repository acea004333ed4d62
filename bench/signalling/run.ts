// The signalling bench itself: N idle callers in line on the real product, the server's memory per
// connection, then the line churned (the caller at the head leaves and calls again, so everyone
// behind moves up one place) at rising rates until the server's event loop lags.
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Memory, Window } from './ipc';
import type { Caller } from './crowd';
import { RequestRefused, connectCrowd, inBatches } from './crowd';
import { ServerHandle } from './serverHandle';

export interface BenchOptions {
  callers: number;
  /** Churns per second (head leaves, calls again), tried in order until the lag limit is passed. */
  churnRates: number[];
  stepMs: number;
  /** Event-loop lag (p99, ms) past which no higher rate is tried. */
  lagLimitMs: number;
  /** Write a server heap snapshot here once the crowd is in line (to see where memory goes). */
  heapSnapshot?: string;
  log?: (line: string) => void;
}

export interface MemoryFigures {
  baseline: Memory;
  connected: Memory;
  queued: Memory;
}

export interface StepFigures {
  targetRate: number;
  /** Churns done in the window, per second. */
  churnRate: number;
  /** Requests the product refused (e.g. its calls-per-minute limit for one address). */
  refused: number;
  /** Position updates the callers received in the window, per second. */
  updatesPerSecond: number;
  /** Updates the churns should cause (each moves everyone behind the leaver), per second. */
  expectedPerSecond: number;
  /** Updates that arrived after the window closed (the server was behind), as a share of those due. */
  lateShare: number;
  server: Window;
  /** This (client) process's CPU over the window, % of one core. */
  clientCpuPercent: number;
  /**
   * This (client) process's event-loop lag p99 over the window, ms: a control. When the machine is
   * crowded, both processes wait for a core and both lag; a server-only lag is the server's own.
   */
  clientLagP99Ms: number;
  /** The host's 1-minute load average at the end of the window (other work on the machine shows here). */
  load1: number;
}

export interface BenchResult {
  callers: number;
  memory: MemoryFigures;
  /** Callers whose `lobby:request` answer carried a place in line. */
  queuedWithPosition: number;
  /** "Nobody can take you now" fallbacks received: no agent is online, so each caller hears it once. */
  fallbacks: number;
  steps: StepFigures[];
  /** After the last step, the places callers last heard are exactly 1..waiting. */
  positionsConsistent: boolean;
  /** Callers that received at least one `lobby:position` update. */
  callersUpdated: number;
  /** Highest updates/s among steps within the lag limit (0 if none was). */
  sustainedUpdatesPerSecond: number;
}

const TICK_MS = 20;
const QUIET_MS = 500;
const DRAIN_LIMIT_MS = 30_000;
const REQUEST_CONCURRENCY = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once no update has arrived for QUIET_MS (or after DRAIN_LIMIT_MS). */
async function quiet(lastUpdateAt: () => number): Promise<void> {
  const until = performance.now() + DRAIN_LIMIT_MS;
  while (performance.now() < until && performance.now() - lastUpdateAt() < QUIET_MS) await sleep(50);
}

export async function runSignallingBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => undefined);
  const server = await ServerHandle.start(options.callers);
  let updates = 0;
  let lastUpdateAt = 0;
  const onUpdate = () => {
    updates++;
    lastUpdateAt = performance.now();
  };
  let callers: Caller[] = [];
  try {
    const baseline = await server.measure();
    log(`connecting ${options.callers} callers from distinct 127.x.y.z addresses…`);
    callers = await connectCrowd(server.url, options.callers, onUpdate);
    const connected = await server.measure();
    if (connected.callerSockets !== options.callers) {
      throw new Error(`the server holds ${connected.callerSockets} caller sockets, not ${options.callers}`);
    }
    log('queueing them in line…');
    // One at a time in order would take long; a handful at once is still "one after another".
    await inBatches(callers.length, REQUEST_CONCURRENCY, (i) => callers[i]!.request());
    await quiet(() => lastUpdateAt);
    const queued = await server.measure();
    if (options.heapSnapshot) await server.heapSnapshot(options.heapSnapshot);
    const queuedWithPosition = callers.filter((c) => c.position !== null).length;

    const line = [...callers].sort((a, b) => a.position! - b.position!);
    const steps: StepFigures[] = [];
    for (const rate of options.churnRates) {
      const step = await churnStep(server, line, rate, options.stepMs, {
        updates: () => updates,
        lastUpdateAt: () => lastUpdateAt,
      });
      steps.push(step);
      log(
        `  ${rate}/s: ${Math.round(step.updatesPerSecond)} updates/s, lag p99 ${step.server.lagP99Ms.toFixed(1)} ms`,
      );
      if (step.server.lagP99Ms > options.lagLimitMs) break;
    }
    const heard = line.map((c) => c.position).sort((a, b) => (a ?? 0) - (b ?? 0));
    const positionsConsistent = heard.every((p, i) => p === i + 1);
    const within = steps.filter((s) => s.server.lagP99Ms <= options.lagLimitMs);
    return {
      callers: options.callers,
      memory: { baseline, connected, queued },
      queuedWithPosition,
      fallbacks: callers.reduce((n, c) => n + c.fallbacks, 0),
      steps,
      positionsConsistent,
      callersUpdated: callers.filter((c) => c.updates > 0).length,
      sustainedUpdatesPerSecond: Math.max(0, ...within.map((s) => s.updatesPerSecond)),
    };
  } finally {
    for (const c of callers) c.close();
    await server.stop();
  }
}

interface UpdateCounter {
  updates(): number;
  lastUpdateAt(): number;
}

/**
 * `rate` times a second, the caller at the head of `line` cancels and calls again (to the back, as
 * a caller who hung up and redialled): every other caller moves up one place and is told so.
 * `line` is kept in the server's order; a refused caller leaves it.
 */
async function churnStep(
  server: ServerHandle,
  line: Caller[],
  rate: number,
  stepMs: number,
  counter: UpdateCounter,
): Promise<StepFigures> {
  let churns = 0;
  let refused = 0;
  let expected = 0;
  const inFlight = new Set<Promise<void>>();
  const churn = async () => {
    const head = line.shift();
    if (!head) return;
    // Everyone still behind the leaver moves up (those already in line when it leaves).
    expected += line.length;
    await head.cancel();
    try {
      await head.request();
      line.push(head);
    } catch (err) {
      if (!(err instanceof RequestRefused)) throw err;
      refused++;
    }
    churns++;
  };

  const clientDelay = monitorEventLoopDelay({ resolution: 10 });
  clientDelay.enable();
  await server.windowStart();
  const before = counter.updates();
  const cpu = process.cpuUsage();
  const start = performance.now();
  let started = 0;
  while (performance.now() - start < stepMs) {
    // The first churn at once, then `rate` a second.
    const due = Math.floor(((performance.now() - start) / 1000) * rate) + 1;
    for (; started < due; started++) {
      const p = churn().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await sleep(TICK_MS);
  }
  const elapsedMs = performance.now() - start;
  const inWindow = counter.updates() - before;
  const clientCpu = process.cpuUsage(cpu);
  const window = await server.windowEnd();
  clientDelay.disable();
  await Promise.all(inFlight);
  await quiet(counter.lastUpdateAt);
  const late = counter.updates() - before - inWindow;
  const seconds = elapsedMs / 1000;
  return {
    targetRate: rate,
    churnRate: churns / seconds,
    refused,
    updatesPerSecond: inWindow / seconds,
    expectedPerSecond: expected / seconds,
    lateShare: expected === 0 ? 0 : late / expected,
    server: window,
    clientCpuPercent: ((clientCpu.user + clientCpu.system) / 1000 / elapsedMs) * 100,
    clientLagP99Ms: Math.max(0, clientDelay.percentile(99) / 1e6 - 10),
    load1: os.loadavg()[0] ?? 0,
  };
}
