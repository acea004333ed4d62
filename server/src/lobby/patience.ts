// Callers' patience, learned from how they leave the line (README.md, "Wait estimate").
//
// A caller leaves a class's line either served (an agent accepted) or not: hung up, cancelled, or moved
// to text chat. We model leaving unserved as a hazard, estimated from censored waits the classic way:
// departures unserved ÷ time waited by everyone who left (served or not). Two views of it:
//   - per class, one constant rate: how fast the callers *ahead* of someone thin out;
//   - over all classes, a rate per band of time waited (piecewise constant): the survival curve of
//     patience itself, since people hang up more after a minute than in the first seconds.
// All sums are exponentially weighted, one weight per leaver, so the figures follow the day.

export type LineExit = 'served' | 'left' | 'moved';

interface Exposure {
  /** Weighted count of callers who left unserved. */
  departures: number;
  /** Weighted ms waited by every caller who left. */
  waitedMs: number;
  /** Leavers seen (unweighted). */
  count: number;
}

export interface PatienceState {
  /** Over all classes. */
  total: Exposure;
  /** One entry per band of PATIENCE_BANDS_MS, over all classes. */
  bands: Exposure[];
  byClass: Array<Exposure & { classKey: string }>;
}

/** Lower edges of the bands of time waited (the last band is open-ended). */
export const PATIENCE_BANDS_MS: readonly number[] = [
  0, 30_000, 60_000, 120_000, 180_000, 240_000, 360_000, 480_000, 720_000, 1_200_000,
];

/** A class's own rate is trusted after this many leavers; before that the one over all classes is. */
const MIN_CLASS_LEAVERS = 20;
/** Decay per leaver of every sum: about the last 1 / α leavers count. */
const ALPHA = 0.02;
const KEEP = 1 - ALPHA;

/**
 * Every sum starts as if ten minutes of waiting had passed without a hang-up: a weak prior (it fades
 * within about 1 / α leavers) that keeps the first hang-ups after a few seconds from making everyone
 * ahead look certain to leave.
 */
const PRIOR_WAITED_MS = 600_000;
const fresh = (): Exposure => ({ departures: 0, waitedMs: PRIOR_WAITED_MS, count: 0 });
const rate = (m: Exposure): number => (m.waitedMs > 0 ? m.departures / m.waitedMs : 0);

export class PatienceStats {
  private readonly bands: Exposure[] = PATIENCE_BANDS_MS.map(fresh);
  private readonly total = fresh();
  private readonly byClass = new Map<string, Exposure>();

  /**
   * A caller left `classKey`'s line after waiting `waitedMs`: served, hung up ('left'), or moved to
   * another line ('moved': text chat). A move thins the class's line but is no hang-up: the caller goes
   * on waiting, so the patience curve hears of them only when they finally leave.
   */
  record(classKey: string, waitedMs: number, outcome: LineExit): void {
    const w = Math.max(0, waitedMs);
    const gone = outcome === 'served' ? 0 : 1;
    update(this.total, w, gone);
    let m = this.byClass.get(classKey);
    if (m === undefined) {
      m = fresh();
      this.byClass.set(classKey, m);
    }
    update(m, w, gone);
    if (outcome === 'moved') return;
    PATIENCE_BANDS_MS.forEach((lo, b) => {
      const hi = PATIENCE_BANDS_MS[b + 1] ?? Infinity;
      const band = this.bands[b] as Exposure;
      const inBand = w >= lo && w < hi;
      update(band, Math.max(0, Math.min(w, hi) - lo), inBand ? gone : 0);
    });
  }

  /** Rate (per ms) at which a caller of this class leaves the line unserved; 0 with nothing seen. */
  hazardFor(classKey: string): number {
    const m = this.byClass.get(classKey);
    return rate(m !== undefined && m.count >= MIN_CLASS_LEAVERS ? m : this.total);
  }

  /** Rate over every class. */
  hazard(): number {
    return rate(this.total);
  }

  /** Rate of leaving unserved per band of time waited (PATIENCE_BANDS_MS), over every class. */
  bandHazards(): number[] {
    return this.bands.map(rate);
  }

  exportState(): PatienceState {
    return {
      total: { ...this.total },
      bands: this.bands.map((m) => ({ ...m })),
      byClass: [...this.byClass].map(([classKey, m]) => ({ classKey, ...m })),
    };
  }

  restoreState(state: PatienceState): void {
    const copy = ({ departures, waitedMs, count }: Exposure): Exposure => ({ departures, waitedMs, count });
    state.bands.forEach((m, b) => Object.assign(this.bands[b] as Exposure, copy(m)));
    Object.assign(this.total, copy(state.total));
    this.byClass.clear();
    for (const m of state.byClass) this.byClass.set(m.classKey, copy(m));
  }
}

function update(m: Exposure, waitedMs: number, departures: number): void {
  // Both sums decay alike, so their ratio is a weighted average that is defined from the first leaver.
  m.departures = KEEP * m.departures + departures;
  m.waitedMs = KEEP * m.waitedMs + waitedMs;
  m.count++;
}
