// npm run bench:lobby — cost of one matching decision in server/src/lobby, beside a full-scan baseline.
//
// Scenario (as in the issue): 20 languages, 2,000 agents (all busy), 5,000 volunteers online, N callers
// waiting. Steady state: the oldest call ends, the agent finishes wrap-up and is offered the earliest
// caller they can take (decision 1: "agent free"), accepts (a bridged call's first invitation is accepted
// too), then a new caller arrives and finds everyone busy (decision 2: "arrival": look for an idle agent,
// queue, compute place in line and estimate). Only the decision call itself is timed, with
// process.hrtime.bigint(); accepting, ending calls and wrap-up are untimed plumbing. Both
// implementations see the identical sequence of operations and their decisions are cross-checked.
//
// The lobby runs with positionUpdateIntervalMs = 1000: each decision only marks queue positions dirty and
// the refresh is batched (at most once a second via tick()). That refresh is O(waiting) and is measured
// separately below, as is a single callerView() query.
import v8 from 'node:v8';
import vm from 'node:vm';
import { Lobby } from '../server/src/lobby';
import type { LobbyEvent } from '../server/src/lobby';
import { NaiveLobby } from './naive-lobby';
import type { NaiveDecision } from './naive-lobby';

const LANGUAGES = [
  'ko',
  'kvk',
  'en',
  'zh-CN',
  'vi',
  'th',
  'tl',
  'km',
  'mn',
  'ru',
  'ja',
  'uz',
  'ne',
  'id',
  'es',
  'fr',
  'ar',
  'my',
  'si',
  'ase',
];
const AGENTS = 2_000;
const VOLUNTEERS = 5_000;
const SIZES = [1_000, 10_000, 100_000];
const WARMUP = 1_000;
const UNSERVED = 3;
const BLOCKED_LANGUAGE = 'si'; // one of the UNSERVED languages
const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' }));

v8.setFlagsFromString('--expose-gc');
const gcOnce = vm.runInNewContext('gc') as () => void;
const gc = gcOnce;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface CallerSpec {
  id: string;
  language: string;
  mode: 'video' | 'text';
}

/** Deterministic caller stream: 50% ko, 10% kvk, the rest spread over 18 languages; 5% text chat. */
function callerStream(seed: number): () => CallerSpec {
  const rand = mulberry32(seed);
  let n = 0;
  return () => {
    const r = rand();
    const language =
      r < 0.5
        ? 'ko'
        : r < 0.6
          ? 'kvk'
          : (LANGUAGES[2 + Math.floor(rand() * (LANGUAGES.length - 2))] as string);
    return { id: `c${++n}`, language, mode: rand() < 0.05 ? 'text' : 'video' };
  };
}

/**
 * The line at the start: enough callers to make every agent busy, then `blocked` callers in a language
 * nobody on duty has (they stay at the front; every scan from the front must skip them), then the rest.
 */
function initialLine(next: () => CallerSpec, waiting: number, blocked: number): CallerSpec[] {
  const line: CallerSpec[] = [];
  for (let i = 0; i < AGENTS; i++) line.push(next());
  for (let i = 0; i < blocked; i++)
    line.push({ id: `blocked${i}`, language: BLOCKED_LANGUAGE, mode: 'video' });
  for (let i = blocked; i < waiting; i++) line.push(next());
  return line;
}

function staff(seed: number): { agents: Array<{ id: string; tags: string[] }>; volunteers: string[][] } {
  const rand = mulberry32(seed);
  const agents = Array.from({ length: AGENTS }, (_, i) => {
    const r = rand();
    const extra =
      r < 0.1 ? ['kvk'] : r < 0.15 ? ['en'] : r < 0.2 ? ['zh'] : r < 0.23 ? ['ja'] : r < 0.25 ? ['ru'] : [];
    return { id: `a${i}`, tags: ['ko', ...extra] };
  });
  // Nobody covers the last three languages: those callers can never be served and drift to the
  // front of the line, which is where a full scan pays for every caller it has to skip.
  const covered = LANGUAGES.length - 1 - UNSERVED;
  const volunteers = Array.from({ length: VOLUNTEERS }, () => [
    LANGUAGES[1 + Math.floor(rand() * covered)] as string,
  ]);
  return { agents, volunteers };
}

interface RunResult {
  label: string;
  setupMs: number;
  heapMB: number;
  arrival: number[];
  agentFree: number[];
  log: string[];
  flushMs?: number;
  viewUs?: number;
}

const ns = (t0: bigint): number => Number(process.hrtime.bigint() - t0);

interface Prepared {
  run(decisions: number, warmup: number): RunResult;
}

/** Full GCs with pauses in between, so garbage of earlier runs (even from incremental marking) is gone. */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

/** heapUsed retained by the structure after setup, then the timed decisions. */
async function measure(prepare: () => Prepared, decisions: number, warmup: number): Promise<RunResult> {
  const before = await settledHeap();
  const prepared = prepare();
  const after = await settledHeap();
  const result = prepared.run(decisions, warmup);
  result.heapMB = (after - before) / 2 ** 20;
  return result;
}

/** Builds the loaded lobby (setup), returning the timed phase separately so memory is read in between. */
function prepareLobby(waiting: number, blocked: number): Prepared {
  const t0 = process.hrtime.bigint();
  let now = Date.UTC(2025, 2, 3, 1, 0, 0);
  const lobby = new Lobby({ positionUpdateIntervalMs: 1_000, fallbackAfterMs: 10 * 86_400_000 }, () => now);
  const { agents, volunteers } = staff(7);
  volunteers.forEach((tags, i) => {
    lobby.upsertVolunteer({ volunteerId: `v${i}`, languages: tags, weeklyHours: ALL_WEEK });
    lobby.setVolunteerPresence(`v${i}`, 'available');
  });
  for (const a of agents) lobby.upsertAgent({ agentId: a.id, languages: a.tags });
  for (const a of agents) lobby.setAgentPresence(a.id, 'available');
  const inCall: Array<{ agentId: string; matchId: string }> = [];
  const settle = (events: LobbyEvent[]): string => {
    let decided = '-';
    for (const e of events) {
      if (e.type !== 'offer') continue;
      decided = `${e.callerId}${e.needsInterpreter ? '+i' : ''}`;
      const r = lobby.acceptOffer(e.agentId, e.offerId);
      if (!r.ok) throw new Error(r.error.message);
      inCall.push({ agentId: e.agentId, matchId: r.value.matchId });
      const inv = r.events.find((x) => x.type === 'invitation');
      if (inv !== undefined && inv.type === 'invitation')
        lobby.acceptInvitation(inv.volunteerId, inv.invitationId);
    }
    return decided;
  };
  const next = callerStream(11);
  for (const c of initialLine(next, waiting, blocked)) {
    const r = lobby.enqueueCaller({ callerId: c.id, language: c.language, mode: c.mode });
    if (!r.ok) throw new Error(r.error.message);
    settle(r.events);
  }
  lobby.flushPositions();
  const setupMs = Number(process.hrtime.bigint() - t0) / 1e6;

  const run = (decisions: number, warmup: number): RunResult => {
    const arrival: number[] = [];
    const agentFree: number[] = [];
    const log: string[] = [];
    for (let i = 0; i < warmup + decisions; i++) {
      now += 100;
      const done = inCall.shift();
      if (done === undefined) throw new Error('no call to end');
      lobby.endMatch(done.matchId);
      let t = process.hrtime.bigint();
      const freed = lobby.finishWrapUp(done.agentId);
      const freeNs = ns(t);
      if (!freed.ok) throw new Error(freed.error.message);
      const d1 = settle(freed.events);
      const c = next();
      t = process.hrtime.bigint();
      const arrived = lobby.enqueueCaller({ callerId: c.id, language: c.language, mode: c.mode });
      const arriveNs = ns(t);
      if (!arrived.ok) throw new Error(arrived.error.message);
      const d2 = settle(arrived.events);
      if (i >= warmup) {
        agentFree.push(freeNs);
        arrival.push(arriveNs);
        log.push(d1, d2);
      }
    }
    // A full queue-position refresh after a change that dirties everyone (a call ended: averages moved).
    const last = inCall.shift();
    if (last !== undefined) lobby.endMatch(last.matchId);
    let t = process.hrtime.bigint();
    const refresh = lobby.flushPositions();
    const flushMs = ns(t) / 1e6;
    void refresh;
    const sample = callerStream(11);
    const ids: string[] = [];
    for (let i = 0; i < AGENTS + waiting; i++) ids.push(sample().id);
    const probe = ids.slice(-Math.min(1000, waiting));
    t = process.hrtime.bigint();
    for (const id of probe) lobby.callerView(id);
    const viewUs = ns(t) / 1e3 / probe.length;
    return { label: 'lobby', setupMs, heapMB: 0, arrival, agentFree, log, flushMs, viewUs };
  };
  return { run };
}

function prepareNaive(waiting: number, blocked: number): Prepared {
  const t0 = process.hrtime.bigint();
  const naive = new NaiveLobby('ko');
  const { agents, volunteers } = staff(7);
  for (const tags of volunteers) naive.addVolunteer(tags);
  for (const a of agents) naive.addAgent(a.id, a.tags);
  const inCall: string[] = [];
  const settle = (d: NaiveDecision | null): string => {
    if (d === null) return '-';
    naive.accept(d);
    inCall.push(d.agentId);
    return `${d.callerId}${d.bridged ? '+i' : ''}`;
  };
  for (const a of agents) settle(naive.agentAvailable(a.id));
  const next = callerStream(11);
  for (const c of initialLine(next, waiting, blocked)) settle(naive.enqueue(c.id, c.language, c.mode));
  const setupMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const run = (decisions: number, warmup: number): RunResult => {
    const arrival: number[] = [];
    const agentFree: number[] = [];
    const log: string[] = [];
    for (let i = 0; i < warmup + decisions; i++) {
      const agentId = inCall.shift();
      if (agentId === undefined) throw new Error('no call to end');
      naive.endCall(agentId);
      let t = process.hrtime.bigint();
      const d1 = naive.agentAvailable(agentId);
      const freeNs = ns(t);
      const s1 = settle(d1);
      const c = next();
      t = process.hrtime.bigint();
      const d2 = naive.enqueue(c.id, c.language, c.mode);
      const arriveNs = ns(t);
      const s2 = settle(d2);
      if (i >= warmup) {
        agentFree.push(freeNs);
        arrival.push(arriveNs);
        log.push(s1, s2);
      }
    }
    return { label: 'naive', setupMs, heapMB: 0, arrival, agentFree, log };
  };
  return { run };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Stats {
  perSec: number;
  p50: number;
  p99: number;
  max: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((s, x) => s + x, 0);
  return {
    perSec: (sorted.length / total) * 1e9,
    p50: pct(sorted, 50),
    p99: pct(sorted, 99),
    max: sorted.at(-1) ?? 0,
  };
}

const us = (n: number): string => `${(n / 1e3).toFixed(1)} µs`;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  console.log(`Lobby decision benchmark — node ${process.version}, one thread`);
  console.log(
    `${LANGUAGES.length} languages, ${fmt(AGENTS)} agents (all busy), ${fmt(VOLUNTEERS)} volunteers online; ` +
      `${UNSERVED} languages have nobody`,
  );
  console.log(
    'Timed: only the public call that makes the decision (finishWrapUp: agent free → offer; enqueueCaller:\n' +
      'arrival → look for an agent, queue, place in line + estimate), including validation and events.\n' +
      'decisions/s = decisions ÷ time spent inside them; max includes GC pauses. The baseline models the\n' +
      'decision only (no events, positions or timers). Queue-position fan-out is batched and measured apart.\n',
  );
  const scenarios = [
    { name: 'steady state', blockedShare: 0 },
    {
      name: `head of line blocked (first half of the line speaks '${BLOCKED_LANGUAGE}', nobody on duty does)`,
      blockedShare: 0.5,
    },
  ];
  const curves: Array<{ name: string; rows: string[][] }> = [];
  let verdict = '';
  for (const scenario of scenarios) {
    const rows: string[][] = [];
    for (const waiting of SIZES) {
      const blocked = Math.floor(waiting * scenario.blockedShare);
      const decisions = 10_000;
      const naiveDecisions = waiting >= 100_000 ? 1_000 : 5_000;
      const lobby = await measure(() => prepareLobby(waiting, blocked), decisions, WARMUP);
      const naive = await measure(() => prepareNaive(waiting, blocked), naiveDecisions, WARMUP);
      const both = (r: RunResult) => stats([...r.arrival, ...r.agentFree]);
      const L = both(lobby);
      const N = both(naive);
      const compared = Math.min(lobby.log.length, naive.log.length);
      let agree = 0;
      for (let i = 0; i < compared; i++) if (lobby.log[i] === naive.log[i]) agree++;
      rows.push([
        fmt(waiting),
        fmt(L.perSec),
        us(L.p50),
        us(L.p99),
        fmt(N.perSec),
        us(N.p50),
        us(N.p99),
        `${(N.p50 / L.p50).toFixed(1)}×`,
        `${lobby.heapMB.toFixed(1)} / ${naive.heapMB.toFixed(1)}`,
        `${agree}/${compared}`,
        `${lobby.flushMs?.toFixed(1)} ms`,
      ]);
      if (waiting !== 10_000) continue;
      const Lfree = stats(lobby.agentFree);
      const Larr = stats(lobby.arrival);
      const Nfree = stats(naive.agentFree);
      const Narr = stats(naive.arrival);
      console.log(
        `${scenario.name}, ${fmt(waiting)} waiting (${fmt(decisions * 2)} timed lobby decisions, ${fmt(naiveDecisions * 2)} naive):`,
      );
      console.log(
        table(
          ['', 'decisions/s', 'p50', 'p99', 'max'],
          [
            ['lobby: both decisions', fmt(L.perSec), us(L.p50), us(L.p99), us(L.max)],
            ['lobby: agent free → offer', fmt(Lfree.perSec), us(Lfree.p50), us(Lfree.p99), us(Lfree.max)],
            ['lobby: arrival → queue', fmt(Larr.perSec), us(Larr.p50), us(Larr.p99), us(Larr.max)],
            ['naive: both decisions', fmt(N.perSec), us(N.p50), us(N.p99), us(N.max)],
            ['naive: agent free → offer', fmt(Nfree.perSec), us(Nfree.p50), us(Nfree.p99), us(Nfree.max)],
            ['naive: arrival → queue', fmt(Narr.perSec), us(Narr.p50), us(Narr.p99), us(Narr.max)],
          ],
        ),
      );
      console.log(
        `ratio naive/lobby: p50 ${(N.p50 / L.p50).toFixed(1)}×, p99 ${(N.p99 / L.p99).toFixed(1)}×, ` +
          `throughput ${(L.perSec / N.perSec).toFixed(1)}×; heapUsed after setup: lobby ${lobby.heapMB.toFixed(1)} MB, ` +
          `naive ${naive.heapMB.toFixed(1)} MB; decisions identical: ${agree}/${compared}`,
      );
      console.log(
        `not in the decision (measured apart): full queue-position refresh ${lobby.flushMs?.toFixed(1)} ms ` +
          `for ${fmt(waiting)} callers (batched, ≤ 1/s); one callerView() ${lobby.viewUs?.toFixed(1)} µs\n`,
      );
      if (scenario.blockedShare === 0) {
        verdict =
          `targets at 10,000 waiting (steady state): ≥ 20,000 decisions/s ${L.perSec >= 20_000 ? 'MET' : 'MISSED'} ` +
          `(${fmt(L.perSec)}), p99 < 1 ms ${L.p99 < 1e6 ? 'MET' : 'MISSED'} (${us(L.p99)})`;
      }
    }
    curves.push({ name: scenario.name, rows });
  }
  for (const curve of curves) {
    console.log(`Curve — ${curve.name} (both decisions pooled):`);
    console.log(
      table(
        [
          'waiting',
          'lobby/s',
          'p50',
          'p99',
          'naive/s',
          'p50',
          'p99',
          'p50 n/l',
          'heap MB l/n',
          'same',
          'refresh',
        ],
        curve.rows,
      ),
    );
    const first = curve.rows[0];
    const last = curve.rows[curve.rows.length - 1];
    if (first !== undefined && last !== undefined) {
      const growth = (i: number) => (parseFloat(last[i] ?? '0') / parseFloat(first[i] ?? '1')).toFixed(2);
      console.log(
        `1k → 100k waiting (100×): lobby p50 ×${growth(2)}, naive p50 ×${growth(5)} ` +
          `(log2 n grows ×${(Math.log2(100_000) / Math.log2(1_000)).toFixed(2)})\n`,
      );
    }
  }
  console.log(verdict);
}

await main();
