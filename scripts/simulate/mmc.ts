// Pure M/M/c through the real Lobby: one language, Poisson arrivals, exponential talk, no wrap-up, no
// hang-ups, agents who accept every offer at once and never leave. What Erlang C assumes, so the two
// can be compared: any gap beyond the noise is the lobby not being the queue the formula describes.
import { Lobby } from '../../server/src/lobby';
import type { LobbyEvent, LobbyResult } from '../../server/src/lobby';
import type { QueueFigures } from '../../server/src/staffing/erlangC';
import { erlangC } from '../../server/src/staffing/erlangC';
import { Agenda } from './agenda';
import { fcfsWaits } from './fcfsQueue';
import type { Rand } from './random';
import { exponential, mulberry32 } from './random';
import { HOUR, SECOND } from './scenario';
import type { WaitStats } from './waitStats';
import { waitStats } from './waitStats';

export interface MmcOptions {
  seed: number;
  ratePerHour: number;
  /** Mean handle time in seconds (all talk: agents are free again the instant a call ends). */
  ahtS: number;
  agents: number;
  /** Simulated hours of arrivals, warm-up included. */
  hours: number;
  /** Callers arriving in the first warmUpHours are served but not counted (the line starts empty). */
  warmUpHours: number;
  /** Service-level threshold, seconds. */
  thresholdS: number;
}

export interface MmcResult {
  options: MmcOptions;
  /** Arrival of every caller, warm-up included, in ms since the start (so in order). */
  arrivalsMs: Float64Array;
  /** Wait of every caller (arrival to matched), same order. */
  waitsMs: Float64Array;
  /** Talk times in the order calls were matched: the k-th call matched got the k-th. */
  talksMs: Float64Array;
  lobbyCalls: number;
  /** Lobby calls that failed: none are expected in this mode. */
  errors: Map<string, number>;
  wallMs: number;
}

const LANGUAGE = 'ko';
/** Any instant will do; it only has to be a real date for the lobby's calendar. */
const START = Date.UTC(2025, 2, 2, 15, 0, 0);

function streams(seed: number): { arrivalRand: Rand; talkRand: Rand } {
  return { arrivalRand: mulberry32(seed), talkRand: mulberry32(seed ^ 0x5bd1e995) };
}

export function simulateMmc(options: MmcOptions): MmcResult {
  const wall0 = performance.now();
  const { ratePerHour, ahtS, agents, hours } = options;
  if (!(ratePerHour > 0 && ahtS > 0 && hours > 0))
    throw new RangeError('simulateMmc: rate, AHT and hours must be > 0');
  if (!Number.isInteger(agents) || agents < 1)
    throw new RangeError('simulateMmc: agents must be an integer >= 1');
  if (!(options.warmUpHours >= 0 && options.warmUpHours < hours))
    throw new RangeError('simulateMmc: the warm-up must be shorter than the run');
  // Two streams, so that the same arrivals and the same sequence of talk times can be replayed
  // through the plain queue whatever order the lobby serves callers in.
  const { arrivalRand, talkRand } = streams(options.seed);
  let now = START;
  const lobby = new Lobby({}, () => now);
  const agenda = new Agenda();
  const errors = new Map<string, number>();
  const waiting = new Map<string, number>();
  const arrivals: number[] = [];
  const waits: number[] = [];
  const talks: number[] = [];
  const arrivalsEnd = START + hours * HOUR;
  const meanGapMs = HOUR / ratePerHour;
  const meanTalkMs = ahtS * 1000;
  let lobbyCalls = 0;

  const use = <T>(label: string, r: LobbyResult<T>): void => {
    lobbyCalls++;
    if (r.ok) handle(r.events);
    else errors.set(`${label}: ${r.error.code}`, (errors.get(`${label}: ${r.error.code}`) ?? 0) + 1);
  };

  function handle(events: LobbyEvent[]): void {
    for (const e of events) {
      if (e.type === 'offer') {
        use('acceptOffer', lobby.acceptOffer(e.agentId, e.offerId));
      } else if (e.type === 'matched') {
        const k = waiting.get(e.callerId);
        if (k !== undefined) waits[k] = now - START - (arrivals[k] as number);
        waiting.delete(e.callerId);
        const talk = exponential(talkRand, meanTalkMs);
        talks.push(talk);
        const { matchId, agentId } = e;
        agenda.at(now + talk, () => {
          use('endMatch', lobby.endMatch(matchId));
          // No wrap-up: the lobby always passes through it, so it ends at the same instant.
          use('finishWrapUp', lobby.finishWrapUp(agentId));
        });
      }
      // Everything else (queue positions, the long-wait fallback offer, which the caller ignores) is noise here.
    }
  }

  for (let i = 1; i <= agents; i++) {
    const agentId = `agent-${i}`;
    use('upsertAgent', lobby.upsertAgent({ agentId, languages: [LANGUAGE] }));
    use('logOn', lobby.setAgentPresence(agentId, 'available'));
  }

  // One pending arrival at a time keeps the agenda small over hundreds of thousands of calls.
  const arrive = (): void => {
    const k = arrivals.length;
    const callerId = `caller-${k + 1}`;
    arrivals.push(now - START);
    waits.push(Number.NaN);
    waiting.set(callerId, k);
    use('enqueueCaller', lobby.enqueueCaller({ callerId, language: LANGUAGE, mode: 'video' }));
    scheduleArrival();
  };
  const scheduleArrival = (): void => {
    const at = now + exponential(arrivalRand, meanGapMs);
    if (at < arrivalsEnd) agenda.at(at, arrive);
  };
  scheduleArrival();

  // Until every caller is matched; calls still in progress then no longer matter.
  for (;;) {
    const nextHappening = agenda.peek();
    const nextDeadline = lobby.nextDeadline() ?? Number.POSITIVE_INFINITY;
    const t = Math.min(nextHappening, nextDeadline);
    if (t === Number.POSITIVE_INFINITY) break;
    if (t >= arrivalsEnd && waiting.size === 0) break;
    now = Math.max(now, t);
    if (nextDeadline <= nextHappening) {
      lobbyCalls++;
      handle(lobby.tick());
    } else {
      agenda.pop()?.run();
    }
  }

  return {
    options,
    arrivalsMs: Float64Array.from(arrivals),
    waitsMs: Float64Array.from(waits),
    talksMs: Float64Array.from(talks),
    lobbyCalls,
    errors,
    wallMs: performance.now() - wall0,
  };
}

export interface MmcComparison {
  /** Counted window, hours since the start: after the warm-up, up to the end of arrivals. */
  fromHour: number;
  toHour: number;
  lobby: WaitStats;
  /** The plain first-come-first-served queue on the same arrivals and talk times. */
  plain: WaitStats;
  erlang: QueueFigures;
  /** λ times the counted hours. */
  expectedCalls: number;
}

/** Figures of a run beside the plain queue on the same draws and beside Erlang C. */
export function compareMmc(result: MmcResult, batches = 20): MmcComparison {
  const { ratePerHour, ahtS, agents, hours, warmUpHours, thresholdS } = result.options;
  const window = {
    fromMs: warmUpHours * HOUR,
    toMs: hours * HOUR,
    thresholdMs: thresholdS * SECOND,
    batches,
  };
  const plainWaits = fcfsWaits(result.arrivalsMs, result.talksMs, agents);
  return {
    fromHour: warmUpHours,
    toHour: hours,
    lobby: waitStats(result.arrivalsMs, result.waitsMs, window),
    plain: waitStats(result.arrivalsMs, plainWaits, window),
    erlang: erlangC({ ratePerHour, ahtS }, agents, thresholdS),
    expectedCalls: ratePerHour * (hours - warmUpHours),
  };
}

/**
 * The draws simulateMmc would make for these options, straight through the plain queue: no lobby, so
 * a hundred times faster, for runs long enough to check the yardstick itself against Erlang C.
 */
export function plainMmc(options: MmcOptions): { arrivalsMs: Float64Array; waitsMs: Float64Array } {
  const { arrivalRand, talkRand } = streams(options.seed);
  const meanGapMs = HOUR / options.ratePerHour;
  const meanTalkMs = options.ahtS * SECOND;
  const end = START + options.hours * HOUR;
  let arrivals = new Float64Array(Math.ceil(options.ratePerHour * options.hours * 1.05) + 64);
  let n = 0;
  // Same arithmetic as the lobby run (absolute instants), so the arrivals are the same to the bit.
  for (
    let now = START + exponential(arrivalRand, meanGapMs);
    now < end;
    now += exponential(arrivalRand, meanGapMs)
  ) {
    if (n === arrivals.length) {
      const grown = new Float64Array(2 * n);
      grown.set(arrivals);
      arrivals = grown;
    }
    arrivals[n++] = now - START;
  }
  const arrivalsMs = arrivals.subarray(0, n);
  const talks = new Float64Array(n);
  for (let k = 0; k < n; k++) talks[k] = exponential(talkRand, meanTalkMs);
  return { arrivalsMs, waitsMs: fcfsWaits(arrivalsMs, talks, options.agents) };
}
