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
}

/** Time until the k-th free-up among `staff` busy people. */
function kthFreeUp(k: number, staff: number, occ: Occupancy): number {
  if (k <= 0) return 0;
  return (occ.residualMs + (k - 1) * occ.meanMs) / Math.max(1, staff);
}

/** Expected wait in ms, or null when nobody who can serve the caller is online. */
export function estimateWait(e: EstimateInput): number | null {
  if (e.classStaff <= 0) return null;
  const region = kthFreeUp(e.position, e.regionStaff, e.region);
  const own = kthFreeUp(e.classRank - e.classSpare, e.classStaff, e.own);
  return Math.max(region, own);
}

/** Rounds to the display step so tiny changes do not cause an event per caller. */
export function roundEstimate(ms: number | null, stepMs: number): number | null {
  if (ms === null) return null;
  if (stepMs <= 0) return Math.round(ms);
  return Math.round(ms / stepMs) * stepMs;
}
