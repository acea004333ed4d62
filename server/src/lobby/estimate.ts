// Wait estimates (method in README.md, "Wait estimate").
//
// An agent is occupied for talk time + wrap-up. We keep exponentially weighted averages of the talk
// time and of its square (globally and per caller class: interpreted calls are longer), and of the
// wrap-up time, starting from configured priors.
//
// With N eligible people all busy, the first frees up after about R/N, where R = E[X²] / 2E[X] is the
// mean remaining time of a call in progress (the residual life; it equals the mean for exponential
// handle times and is shorter for the more regular ones we see), and then one more every AHT/N.
// So the k-th caller waits about (R + (k − 1)·AHT) / N. We take the larger of two bottlenecks:
//   - the region: callers ahead of me among everyone competing for the same agents, over those agents;
//   - my own class: callers of my language/mode ahead of me, over the staff who can take my language
//     (for a bridged language, capped by how many volunteers for it are online), not counting the
//     first callers that volunteers free right now can take.

interface Moments {
  mean: number;
  square: number;
  count: number;
}

/** A class's own average is trusted after this many samples; before that the global one is used. */
const MIN_CLASS_SAMPLES = 5;

export interface Occupancy {
  /** Mean time an agent is occupied by one call (talk + wrap-up). */
  meanMs: number;
  /** Mean remaining occupancy of a call already in progress. */
  residualMs: number;
}

export class HandleTimeStats {
  private readonly talk: Moments;
  private readonly wrap: Moments;
  private readonly talkByClass = new Map<string, Moments>();

  constructor(
    talkPriorMs: number,
    wrapPriorMs: number,
    private readonly alpha: number,
  ) {
    // The prior assumes exponential-like spread (E[X²] = 2·mean²) until real calls say otherwise.
    this.talk = { mean: talkPriorMs, square: 2 * talkPriorMs * talkPriorMs, count: 0 };
    this.wrap = { mean: wrapPriorMs, square: wrapPriorMs * wrapPriorMs, count: 0 };
  }

  exportState(): { talk: Moments; wrapUp: Moments; talkByClass: Array<Moments & { classKey: string }> } {
    return {
      talk: { ...this.talk },
      wrapUp: { ...this.wrap },
      talkByClass: [...this.talkByClass].map(([classKey, m]) => ({ classKey, ...m })),
    };
  }

  restoreState(state: {
    talk: Moments;
    wrapUp: Moments;
    talkByClass: ReadonlyArray<Moments & { classKey: string }>;
  }): void {
    const copy = ({ mean, square, count }: Moments): Moments => ({ mean, square, count });
    Object.assign(this.talk, copy(state.talk));
    Object.assign(this.wrap, copy(state.wrapUp));
    this.talkByClass.clear();
    for (const m of state.talkByClass) this.talkByClass.set(m.classKey, copy(m));
  }

  recordTalk(classKey: string, ms: number): void {
    this.update(this.talk, ms);
    let m = this.talkByClass.get(classKey);
    if (m === undefined) {
      m = { ...this.talk, count: 0 };
      this.talkByClass.set(classKey, m);
    }
    this.update(m, ms);
  }

  recordWrapUp(ms: number): void {
    this.update(this.wrap, ms);
  }

  /** Occupancy of a call of any class. */
  occupancy(): Occupancy {
    return this.combine(this.talk);
  }

  /** Occupancy for one class, falling back to the global figures while it has few samples. */
  occupancyFor(classKey: string): Occupancy {
    const m = this.talkByClass.get(classKey);
    return this.combine(m !== undefined && m.count >= MIN_CLASS_SAMPLES ? m : this.talk);
  }

  private combine(talk: Moments): Occupancy {
    const mean = talk.mean + this.wrap.mean;
    // E[(T + W)²] with talk and wrap-up taken as independent.
    const square = talk.square + 2 * talk.mean * this.wrap.mean + this.wrap.square;
    return { meanMs: mean, residualMs: mean > 0 ? square / (2 * mean) : 0 };
  }

  private update(m: Moments, ms: number): void {
    const x = Math.max(0, ms);
    // The first samples average plainly with the prior (worth one sample), then the EWMA takes over.
    const weight = Math.max(this.alpha, 1 / (m.count + 2));
    m.mean += weight * (x - m.mean);
    m.square += weight * (x * x - m.square);
    m.count++;
  }
}

export interface EstimateInput {
  /** 1-based place among competitors (the public position). */
  position: number;
  /** 1-based place within the caller's own class. */
  classRank: number;
  /** Online agents who could serve anyone in the caller's competition region. */
  regionStaff: number;
  /** Online staff able to take the caller's class (bridging capped by volunteers). */
  classStaff: number;
  /**
   * People of the class's own bottleneck free right now (volunteers for a bridged language not yet
   * spoken for): the first `classSpare` callers of the class do not wait for them.
   */
  classSpare: number;
  region: Occupancy;
  own: Occupancy;
  /** Rate (per ms) at which a caller ahead leaves unserved, in the region and in the class; 0: never. */
  regionHazard: number;
  ownHazard: number;
  /** The caller's own patience; null: the estimate is the wait of a caller who never hangs up. */
  patience: PatienceCurve | null;
}

/** Patience as a rate of hanging up per band of time waited, with each band's survival factor. */
export interface PatienceCurve {
  /** Lower edges of the bands (the last one is open-ended). */
  edgesMs: readonly number[];
  hazards: readonly number[];
  /** e^(−hazard · width) per band: the share still waiting at its end of those at its start. */
  bandSurvival: readonly number[];
}

export function patienceCurve(edgesMs: readonly number[], hazards: readonly number[]): PatienceCurve {
  const bandSurvival = edgesMs.map((lo, b) => {
    const hi = edgesMs[b + 1];
    return hi === undefined ? 0 : Math.exp(-(hazards[b] ?? 0) * (hi - lo));
  });
  return { edgesMs, hazards, bandSurvival };
}

/** Σ_{m=0}^{n−1} 1 / (a + m·h), in O(1) for long lines (digamma differences). */
export function rateSum(a: number, h: number, n: number): number {
  if (n <= 0) return 0;
  if (h <= 0 || h * n < 1e-9 * a) return n / a;
  if (n <= 32) {
    let s = 0;
    for (let m = 0; m < n; m++) s += 1 / (a + m * h);
    return s;
  }
  const x = a / h;
  return (digamma(x + n) - baseDigamma(x)) / h;
}

// A refresh walks a class's callers with the same a / h (region and own): remember the last two.
const baseMemo = [NaN, 0, NaN, 0];
function baseDigamma(x: number): number {
  if (x === baseMemo[0]) return baseMemo[1] as number;
  if (x === baseMemo[2]) return baseMemo[3] as number;
  const psi = digamma(x);
  baseMemo[2] = baseMemo[0] as number;
  baseMemo[3] = baseMemo[1] as number;
  baseMemo[0] = x;
  baseMemo[1] = psi;
  return psi;
}

/** ψ(x) for x > 0: recurrence up to 8, then the asymptotic series (error < 1e-12). */
function digamma(x: number): number {
  let shift = 0;
  while (x < 8) {
    shift -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))));
  return shift + Math.log(x) - 0.5 / x - series;
}

/**
 * Time until the k-th caller's turn among `staff` busy people. Without hang-ups: the first frees up
 * after R/N, then one every AHT/N. With the callers ahead leaving unserved at `hazard` each, the line
 * ahead also shrinks by itself: with m callers ahead the next step comes at rate N/AHT + m·hazard.
 */
function kthFreeUp(k: number, staff: number, occ: Occupancy, hazard: number): number {
  if (k <= 0) return 0;
  const n = Math.max(1, staff);
  if (hazard <= 0) return (occ.residualMs + (k - 1) * occ.meanMs) / n;
  // The first step (k − 1 ahead) waits for a call already in progress: its residual, not a whole call.
  const first = occ.residualMs > 0 ? 1 / (n / occ.residualMs + (k - 1) * hazard) : 0;
  if (!(occ.meanMs > 0)) return first;
  return first + rateSum(n / occ.meanMs, hazard, k - 1);
}

/** Expected wait in ms, or null when nobody who can serve the caller is online. */
export function estimateWait(e: EstimateInput): number | null {
  if (e.classStaff <= 0) return null;
  const region = kthFreeUp(e.position, e.regionStaff, e.region, e.regionHazard);
  const own = kthFreeUp(e.classRank - e.classSpare, e.classStaff, e.own, e.ownHazard);
  const wait = Math.max(region, own);
  return e.patience === null ? wait : servedWait(wait, e.patience);
}

/**
 * Shape of the wait's spread around its mean when it is weighed by patience (servedWait): 2 measured
 * best in the simulator (1, exponential, over-weighs short waits and underestimates by ~10 s).
 */
const SERVED_WAIT_SHAPE = 2;

/**
 * The mean wait of those who are answered, when the wait is about `meanMs` and the caller hangs up at
 * the band rates given: E[W·S(W)] / E[S(W)], with S the patience survival and the wait W taken as
 * gamma-distributed around its mean with shape `shape` (1: exponential). It is that uncertain:
 * volunteers' hours begin and end, callers ahead switch to text. Closed form per band, O(bands).
 */
export function servedWait(meanMs: number, curve: PatienceCurve, shape: 1 | 2 = SERVED_WAIT_SHAPE): number {
  if (!(meanMs > 0)) return 0;
  const { edgesMs, hazards, bandSurvival } = curve;
  const lambda = shape / meanMs;
  // Over a band, W's density times S(w) is weight · (lo + u)^(shape − 1) · e^(−r u), u = w − lo, and
  // the next band's weight is this one's times e^(−r · width): one exponential per band.
  let weight = 1;
  let num = 0;
  let den = 0;
  for (let b = 0; b < edgesMs.length; b++) {
    const lo = edgesMs[b] as number;
    const hi = edgesMs[b + 1];
    const r = lambda + (hazards[b] ?? 0);
    const finite = hi !== undefined;
    const x = finite ? r * (hi - lo) : Infinity;
    const tail = finite ? Math.exp(-lambda * (hi - lo)) * (bandSurvival[b] as number) : 0;
    // ∫₀ᴸ uⁿ e^(−r u) du for n = 0, 1, 2.
    const e0 = (1 - tail) / r;
    const e1 = (1 - (finite ? tail * (1 + x) : 0)) / (r * r);
    const e2 = (2 - (finite ? tail * (2 + 2 * x + x * x) : 0)) / (r * r * r);
    if (shape === 1) {
      den += weight * e0;
      num += weight * (lo * e0 + e1);
    } else {
      den += weight * (lo * e0 + e1);
      num += weight * (lo * lo * e0 + 2 * lo * e1 + e2);
    }
    weight *= tail;
    // What is left beyond this band no longer moves the result.
    if (weight * meanMs < 1e-12 * den) break;
  }
  return den > 0 ? num / den : meanMs;
}

/** Rounds to the display step so tiny changes do not cause an event per caller. */
export function roundEstimate(ms: number | null, stepMs: number): number | null {
  if (ms === null) return null;
  if (stepMs <= 0) return Math.round(ms);
  return Math.round(ms / stepMs) * stepMs;
}
