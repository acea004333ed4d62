// Erlang A: the M/M/c+M queue. Like Erlang C, plus every waiting caller hangs up after an exponential
// patience with mean `patienceS` (Palm's model). Computed exactly from the birth–death chain.
import { offeredErlangs, type Load, type QueueFigures } from './erlangC';

export interface ErlangAFigures extends QueueFigures {
  /** Share of all callers who hang up before they are answered. */
  pAbandon: number;
  /**
   * Share of all callers who hang up within the threshold. serviceLevel + this is the share nobody
   * kept waiting longer than the threshold, which is never below Erlang C's service level.
   */
  pAbandonWithinThreshold: number;
  /** Mean patience of a waiting caller, seconds (the model's input, echoed). */
  patienceS: number;
}

/** Tail mass we are willing to drop, relative to the total: far below anything a plan can see. */
const NEGLIGIBLE = 1e-16;
/** Guard against a chain we could not hold (patience so long the queue runs to millions). */
const MAX_STATES = 2_000_000;

/** The queue would run to millions of callers: fewer agents than Erlangs and almost endless patience. */
export class QueueTooLongError extends RangeError {
  override name = 'QueueTooLongError';
}

/**
 * Erlang A's figures for `agents` agents. Conventions, chosen to match `erlangC`:
 *
 * - `serviceLevel`: callers answered within `thresholdS` over ALL offered callers. A caller who hangs
 *   up (at any time, even within the threshold) counts in the denominator and not in the numerator.
 *   With nobody hanging up this is exactly Erlang C's service level.
 * - `pWait`: share of callers who find every agent busy (they wait, whether answered or not).
 * - `asaS`: mean wait of the callers who ARE answered, those answered at once included (in Erlang C
 *   everybody is answered, so this is its "over all callers").
 * - `occupancy`: mean number of busy agents over `agents`.
 *
 * Time is measured in units of the handle time inside, so every rate below is relative to μ = 1/AHT.
 */
export function erlangA(load: Load, agents: number, thresholdS: number, patienceS: number): ErlangAFigures {
  if (!Number.isInteger(agents) || agents < 1)
    throw new RangeError(`agents must be an integer ≥ 1, got ${agents}`);
  if (!(patienceS > 0) || !Number.isFinite(patienceS)) {
    throw new RangeError(`patienceS must be a positive finite number of seconds, got ${patienceS}`);
  }
  if (!(thresholdS >= 0) || !Number.isFinite(thresholdS)) {
    throw new RangeError(`thresholdS must be a finite number ≥ 0, got ${thresholdS}`);
  }
  const a = offeredErlangs(load);
  if (a === 0) {
    return {
      agents,
      erlangs: 0,
      pWait: 0,
      serviceLevel: 1,
      asaS: 0,
      occupancy: 0,
      pAbandon: 0,
      pAbandonWithinThreshold: 0,
      patienceS,
    };
  }

  const c = agents;
  const r = load.ahtS / patienceS; // θ/μ
  const p = stationaryDistribution(a, c, r);

  const pNoWait = new CompensatedSum();
  const busy = new CompensatedSum();
  for (let n = 0; n < Math.min(c, p.length); n++) {
    pNoWait.add(p[n]!);
    busy.add(n * p[n]!);
  }
  // queued[k]: probability an arriving caller finds all agents busy and k callers already queued.
  const queued = p.slice(c);
  const pWait = new CompensatedSum();
  const meanQueue = new CompensatedSum();
  const pAnswered = new CompensatedSum();
  pAnswered.add(pNoWait.value);
  const answeredWait = new CompensatedSum(); // Σ P(k)·P(answered | k)·E[wait | answered, k], handle times
  let stagesMean = 0;
  queued.forEach((pk, k) => {
    pWait.add(pk);
    busy.add(c * pk);
    meanQueue.add(k * pk);
    // With i callers ahead, the line moves at rate c + i·r and he himself leaves at rate r. So each
    // stage ends at rate c + (i+1)·r and moves him on with probability (c + i·r)/(c + (i+1)·r); the
    // product over i = k..0 telescopes to c/(c + (k+1)·r). Stage lengths do not depend on the outcome.
    const answered = c / (c + (k + 1) * r);
    stagesMean += 1 / (c + (k + 1) * r);
    pAnswered.add(pk * answered);
    answeredWait.add(pk * answered * stagesMean);
  });

  const within = withinThreshold(queued, c, r, thresholdS / load.ahtS);
  return {
    agents,
    erlangs: a,
    pWait: probability(pWait.value),
    serviceLevel: probability(pNoWait.value + within.answered),
    asaS: (answeredWait.value / pAnswered.value) * load.ahtS,
    occupancy: probability(busy.value / c),
    // θ·E[queue]/λ: the rate of hang-ups over the rate of arrivals.
    pAbandon: probability((r * meanQueue.value) / a),
    pAbandonWithinThreshold: probability(within.abandoned),
    patienceS,
  };
}

/** Clip the last ulp of rounding so a probability never prints as 1.0000000000000002. */
function probability(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/**
 * Stationary probabilities of n callers in the system, n = 0.. until the tail is negligible. Death rate
 * in state n is min(n, c) + max(0, n − c)·r (in units of μ), birth rate a. Log weights keep thousands of
 * agents from overflowing a^n/n!. The ratios a/death(n) only fall as n grows, so once one is below 1
 * the rest of the tail is bounded by a geometric series and we can stop with a proven error.
 */
function stationaryDistribution(a: number, c: number, r: number): number[] {
  const logWeights = [0];
  const logWeight = new CompensatedSum(); // thousands of log terms: keep their rounding from drifting
  let logTotal = 0;
  for (let n = 1; ; n++) {
    if (n > MAX_STATES) {
      throw new QueueTooLongError(
        `Erlang A needs more than ${MAX_STATES} states here: patience too long, use Erlang C`,
      );
    }
    logWeight.add(Math.log(a / death(n, c, r)));
    logWeights.push(logWeight.value);
    logTotal = logAddExp(logTotal, logWeight.value);
    const nextRatio = a / death(n + 1, c, r);
    if (
      nextRatio < 1 &&
      logWeight.value + Math.log(nextRatio / (1 - nextRatio)) < logTotal + Math.log(NEGLIGIBLE)
    ) {
      break;
    }
  }
  // The running log-sum was good enough to decide where to stop; normalise with an exact-as-can-be sum.
  const top = logWeights.reduce((hi, w) => Math.max(hi, w), -Infinity);
  const total = new CompensatedSum();
  for (const w of logWeights) total.add(Math.exp(w - top));
  return logWeights.map((w) => Math.exp(w - top) / total.value);
}

/** Neumaier's compensated summation: the error stays at a few ulps however many terms are added. */
class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(term: number): void {
    const next = this.sum + term;
    this.compensation +=
      Math.abs(this.sum) >= Math.abs(term) ? this.sum - next + term : term - next + this.sum;
    this.sum = next;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}

function death(n: number, c: number, r: number): number {
  return n <= c ? n : c + (n - c) * r;
}

function logAddExp(x: number, y: number): number {
  const hi = Math.max(x, y);
  return hi + Math.log(Math.exp(x - hi) + Math.exp(y - hi));
}

/**
 * Σ_k queued[k] · P(a caller who finds k queued ahead is answered, or hangs up, within `tau` handle times).
 *
 * He is answered within tau iff k+1 stages finish before tau and before his own patience runs out.
 * As a Markov chain on "i ahead of him" (i = k..0, then answered), state i leaves at rate
 * ν_i = c + (i+1)·r: to i−1 (or answered, from 0) at rate c + i·r, to "hung up" at rate r. We take the
 * probability of having been absorbed by tau by uniformization: with Λ ≥ every ν_i, the chain is a
 * discrete one (steps with probability ν/Λ) run at the ticks of a Poisson(Λ) clock, so
 * P(answered by tau) = Σ_m Poisson(m; Λ·tau) · h_m, h_m = P(answered within m steps), and likewise for
 * hanging up. Every term is non-negative, so nothing cancels, and the sum stops once the Poisson tail
 * is provably negligible.
 */
function withinThreshold(
  queued: readonly number[],
  c: number,
  r: number,
  tau: number,
): { answered: number; abandoned: number } {
  const states = queued.length;
  if (states === 0 || tau === 0) return { answered: 0, abandoned: 0 };
  const rate = c + states * r; // Λ = the largest ν_i
  const advance = queued.map((_, i) => (c + i * r) / rate);
  const stay = queued.map((_, i) => 1 - (c + (i + 1) * r) / rate);
  const hangUp = r / rate;
  const x = rate * tau;

  // h[i], g[i]: P(answered, resp. hung up, within m steps | i ahead), stepped in place from the top i.
  const h = new Float64Array(states);
  const g = new Float64Array(states);
  let logPoisson = -x; // log Poisson(0; x)
  const answered = new CompensatedSum();
  const abandoned = new CompensatedSum();
  for (let m = 1; ; m++) {
    for (let i = states - 1; i >= 0; i--) {
      h[i] = stay[i]! * h[i]! + advance[i]! * (i === 0 ? 1 : h[i - 1]!);
      g[i] = stay[i]! * g[i]! + advance[i]! * (i === 0 ? 0 : g[i - 1]!) + hangUp;
    }
    logPoisson += Math.log(x / m);
    const weight = Math.exp(logPoisson);
    let answeredNow = 0;
    let abandonedNow = 0;
    for (let i = 0; i < states; i++) {
      answeredNow += queued[i]! * h[i]!;
      abandonedNow += queued[i]! * g[i]!;
    }
    answered.add(weight * answeredNow);
    abandoned.add(weight * abandonedNow);
    // Past the mode the Poisson terms fall at least as fast as q = x/(m+1) per step, and h, g ≤ 1.
    const q = x / (m + 1);
    if (q < 1 && logPoisson + Math.log(q / (1 - q)) < Math.log(NEGLIGIBLE)) {
      return { answered: answered.value, abandoned: abandoned.value };
    }
  }
}
