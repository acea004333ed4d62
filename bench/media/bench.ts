// K simultaneous three-way calls through the product and through bare mediasoup, with the same
// load client, in the same run: server CPU (Node process and workers apart), memory per call,
// forwarded streams, received loss and jitter, and product / bare ratios.
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { bareCall, endCall, productCall, type LoadCall } from '../load/calls';
import { loadClip, type Clip } from '../load/clip';
import { Ticker } from '../load/RtpPlayer';
import { startMisbehaving, type BadMode } from './misbehaving';
import { cpuPercent, sampleServer, udpReceiveBufferDrops } from './procStat';
import { startServer, type ServerUnderTest, type Target } from './servers';

export interface MediaBenchOptions {
  /** K values in order; the run stops after the first that shows a knee. */
  ks: number[];
  /** Length of each measurement window. */
  seconds: number;
  warmupSeconds: number;
  workers: number;
  videoKbps: number;
  /** Misbehaving clients to try, each beside `badK` measured product calls. */
  bad: BadMode[];
  /** Measured calls beside the misbehaving client; default: the last K below the knee. */
  badK?: number;
  /** Measurements per K and server, alternating which server goes first; figures are their means. */
  rounds: number;
  log: (line: string) => void;
}

export interface CallFigures {
  /** Received streams that carried packets in the window (forwarded by the server). */
  streams: number;
  expectedStreams: number;
  /** Fewest packets any participant received in the window (0 would mean media did not flow). */
  minPacketsPerParticipant: number;
  /** Lost / expected over every stream, 0–1. */
  loss: number;
  jitterAudioMs: number;
  jitterVideoMs: number;
  jitterMaxMs: number;
}

export interface TargetFigures extends CallFigures {
  target: Target;
  k: number;
  /** Percent of one core. */
  nodeCpu: number;
  workersCpu: number;
  /** Load client (this process), percent of one core: it shares the 2 cores with the server. */
  clientCpu: number;
  workersCpuPerStream: number;
  /** Node process CPU / workers' CPU. */
  nodeShare: number;
  /** (RSS of Node process + workers with calls − before) / K, in MiB. */
  rssPerCallMiB: number;
  /** The machine's 1-minute load average after the window: other work on the shared cores. */
  loadAverage: number;
  /** UDP datagrams the kernel dropped for full receive buffers during the window (whole machine). */
  udpDrops: number;
}

export interface KRow {
  k: number;
  product: TargetFigures;
  bare: TargetFigures;
}

export interface BadRow {
  mode: BadMode;
  k: number;
  before: CallFigures;
  during: CallFigures;
  nodeCpuBefore: number;
  nodeCpuDuring: number;
  sent: number;
  /** From its start until the server cut it off, ms (null: not cut off). */
  cutOffMs: number | null;
}

export interface MediaBenchResult {
  rows: KRow[];
  /** First K whose loss or jitter crossed the knee rule, or null if none did. */
  knee: number | null;
  kneeReason: string | null;
  bad: BadRow[];
  clip: Clip;
}

const LOSS_KNEE = 0.01;

let tags = 0;
/** A short unique prefix for staff usernames (at most 32 characters in all) and bare call ids. */
function nextTag(): string {
  return `b${process.pid}-${tags++}`;
}
const JITTER_KNEE_MS = 30;
const FIRST_K_LOSS_KNEE = 0.05;

function callFigures(calls: LoadCall[]): CallFigures {
  let expected = 0;
  let lost = 0;
  let streams = 0;
  let minPackets = Infinity;
  const jitter = { audio: [] as number[], video: [] as number[] };
  for (const call of calls) {
    for (const p of call.participants) {
      let packets = 0;
      for (const r of p.received) {
        const f = r.stats.figures();
        packets += f.received;
        if (f.received > 0) streams++;
        expected += f.expected;
        lost += Math.max(0, f.expected - f.received);
        jitter[r.kind].push(f.jitterMs);
      }
      minPackets = Math.min(minPackets, packets);
    }
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    streams,
    expectedStreams: calls.length * 12,
    minPacketsPerParticipant: minPackets === Infinity ? 0 : minPackets,
    loss: expected > 0 ? lost / expected : 0,
    jitterAudioMs: mean(jitter.audio),
    jitterVideoMs: mean(jitter.video),
    jitterMaxMs: Math.max(0, ...jitter.audio, ...jitter.video),
  };
}

async function makeCalls(
  server: ServerUnderTest,
  k: number,
  tag: string,
  media: { clip: Clip; ticker: Ticker },
): Promise<LoadCall[]> {
  const calls: LoadCall[] = [];
  try {
    if (server.target === 'product') {
      const staff = await server.staff(tag, k);
      for (const s of staff) calls.push(await productCall(server.url, s, media));
    } else {
      for (let i = 0; i < k; i++) calls.push(await bareCall(server.url, `${tag}-${i}`, media));
    }
  } catch (error) {
    await Promise.all(calls.map(endCall));
    throw error;
  }
  return calls;
}

async function measure(
  server: ServerUnderTest,
  calls: LoadCall[],
  seconds: number,
): Promise<{
  figures: CallFigures;
  nodeCpu: number;
  workersCpu: number;
  clientCpu: number;
  rss: number;
  udpDrops: number;
}> {
  for (const c of calls) for (const p of c.participants) p.startWindow();
  const drops0 = udpReceiveBufferDrops();
  const from = sampleServer(server.pid, server.workerPids);
  const client0 = process.cpuUsage();
  await sleep(seconds * 1000);
  const to = sampleServer(server.pid, server.workerPids);
  const client = process.cpuUsage(client0);
  const elapsedS = (to.at - from.at) / 1000;
  return {
    figures: callFigures(calls),
    nodeCpu: cpuPercent(from, to, 'node'),
    workersCpu: cpuPercent(from, to, 'workers'),
    clientCpu: ((client.user + client.system) / 1e6 / elapsedS) * 100,
    rss: to.node.rssBytes + to.workers.rssBytes,
    udpDrops: udpReceiveBufferDrops() - drops0,
  };
}

async function runTarget(
  server: ServerUnderTest,
  k: number,
  o: MediaBenchOptions,
  media: { clip: Clip; ticker: Ticker },
): Promise<TargetFigures> {
  const before = sampleServer(server.pid, server.workerPids);
  const calls = await makeCalls(server, k, nextTag(), media);
  try {
    await sleep(o.warmupSeconds * 1000);
    const m = await measure(server, calls, o.seconds);
    const rssBefore = before.node.rssBytes + before.workers.rssBytes;
    return {
      target: server.target,
      k,
      ...m.figures,
      nodeCpu: m.nodeCpu,
      workersCpu: m.workersCpu,
      clientCpu: m.clientCpu,
      workersCpuPerStream: m.figures.streams > 0 ? m.workersCpu / m.figures.streams : NaN,
      nodeShare: m.workersCpu > 0 ? m.nodeCpu / m.workersCpu : NaN,
      rssPerCallMiB: (m.rss - rssBefore) / k / 2 ** 20,
      loadAverage: os.loadavg()[0]!,
      udpDrops: m.udpDrops,
    };
  } finally {
    await Promise.all(calls.map(endCall));
    // Let the server close transports and routers before the next measurement.
    await sleep(1000);
  }
}

/** The mean of every numeric figure over rounds; the fewest packets stays the minimum. */
function meanOf(runs: TargetFigures[]): TargetFigures {
  const first = runs[0]!;
  const out: Record<string, unknown> = { ...first };
  for (const [key, value] of Object.entries(first)) {
    if (typeof value !== 'number' || key === 'k') continue;
    const values = runs.map((r) => r[key as keyof TargetFigures] as number);
    out[key] =
      key === 'minPacketsPerParticipant'
        ? Math.min(...values)
        : values.reduce((a, b) => a + b, 0) / runs.length;
  }
  return out as unknown as TargetFigures;
}

/**
 * The knee: loss or mean jitter well above what the smallest K had (twice it, and past 1% or
 * 30 ms), on either server. On a machine shared with other work even K = 2 sees some loss, so an
 * absolute line alone would call the first K the knee; the first K is one only past 5% loss.
 */
function knee(row: KRow, first: KRow | undefined): string | null {
  for (const target of ['product', 'bare'] as const) {
    const f = row[target];
    const base = first?.[target];
    const jitter = Math.max(f.jitterAudioMs, f.jitterVideoMs);
    if (!first || !base) {
      if (f.loss > FIRST_K_LOSS_KNEE) return `${target} loss ${(f.loss * 100).toFixed(1)}% already`;
      continue;
    }
    const baseJitter = Math.max(base.jitterAudioMs, base.jitterVideoMs);
    if (f.loss > Math.max(LOSS_KNEE, 2 * base.loss)) {
      return `${target} loss ${(f.loss * 100).toFixed(1)}% vs ${(base.loss * 100).toFixed(1)}% at K=${first.k}`;
    }
    if (jitter > Math.max(JITTER_KNEE_MS, 2 * baseJitter)) {
      return `${target} mean jitter ${jitter.toFixed(1)} ms vs ${baseJitter.toFixed(1)} ms at K=${first.k}`;
    }
  }
  return null;
}

async function runBad(
  server: ServerUnderTest,
  o: MediaBenchOptions,
  k: number,
  media: { clip: Clip; ticker: Ticker },
): Promise<BadRow[]> {
  const rows: BadRow[] = [];
  const calls = await makeCalls(server, k, nextTag(), media);
  try {
    await sleep(o.warmupSeconds * 1000);
    for (const mode of o.bad) {
      const before = await measure(server, calls, o.seconds);
      const [staff] = await server.staff(nextTag(), 1);
      const bad = await startMisbehaving(mode, server.url, staff!, media);
      let during;
      try {
        await sleep(1000);
        during = await measure(server, calls, o.seconds);
      } finally {
        await bad.stop();
      }
      rows.push({
        mode,
        k,
        before: before.figures,
        during: during.figures,
        nodeCpuBefore: before.nodeCpu,
        nodeCpuDuring: during.nodeCpu,
        sent: bad.sent(),
        cutOffMs: bad.cutOffMs(),
      });
      o.log(`  bad input ${mode}: done`);
      await sleep(1000);
    }
  } finally {
    await Promise.all(calls.map(endCall));
  }
  return rows;
}

export async function runMediaBench(o: MediaBenchOptions): Promise<MediaBenchResult> {
  const clip = await loadClip({ seconds: 4, videoKbps: o.videoKbps });
  const ticker = new Ticker();
  const media = { clip, ticker };
  // One server at a time carries calls; the idle one costs next to nothing.
  const servers = {
    product: await startServer('product', o.workers),
    bare: await startServer('bare', o.workers),
  };
  const rows: KRow[] = [];
  let kneeAt: number | null = null;
  let kneeReason: string | null = null;
  let bad: BadRow[] = [];
  try {
    for (const k of o.ks) {
      const runs: Record<Target, TargetFigures[]> = { product: [], bare: [] };
      for (let round = 0; round < o.rounds; round++) {
        // Alternating the order spreads any drift in the machine's other load over both servers.
        const order: Target[] = round % 2 === 0 ? ['product', 'bare'] : ['bare', 'product'];
        for (const target of order) {
          o.log(`K=${k} round ${round + 1}/${o.rounds}: ${target}…`);
          runs[target].push(await runTarget(servers[target], k, o, media));
        }
      }
      const row = { k, product: meanOf(runs.product), bare: meanOf(runs.bare) };
      kneeReason = knee(row, rows[0]);
      rows.push(row);
      if (kneeReason) {
        kneeAt = k;
        break;
      }
    }
    const belowKnee = kneeAt === null ? rows.at(-1) : (rows.at(-2) ?? rows[0]);
    if (o.bad.length > 0) bad = await runBad(servers.product, o, o.badK ?? belowKnee?.k ?? 2, media);
  } finally {
    await Promise.all([servers.product.stop(), servers.bare.stop()]);
  }
  return { rows, knee: kneeAt, kneeReason, bad, clip };
}
