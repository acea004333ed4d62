// Service level, P(wait) and ASA over a window of callers, with standard errors by batch means: the
// run is cut into equal stretches of time, and the spread of the stretches' figures gives the error
// (callers close in time share a queue, so their waits are far from independent).

export interface WaitFigures {
  calls: number;
  /** Shares in [0, 1]; ASA in ms over all callers. */
  serviceLevel: number;
  pWait: number;
  asaMs: number;
}

export interface WaitStats extends WaitFigures {
  /** Standard error of each figure by batch means. */
  stdErr: Omit<WaitFigures, 'calls'>;
  batches: number;
}

export interface WaitWindow {
  /** Callers who arrived in [fromMs, toMs) count. */
  fromMs: number;
  toMs: number;
  thresholdMs: number;
  batches: number;
}

interface Batch {
  n: number;
  within: number;
  waited: number;
  sum: number;
}

export function waitStats(arrivalsMs: Float64Array, waitsMs: Float64Array, w: WaitWindow): WaitStats {
  if (!(w.toMs > w.fromMs)) throw new RangeError('waitStats: the window is empty');
  if (!Number.isInteger(w.batches) || w.batches < 2) throw new RangeError('waitStats: batches must be >= 2');
  const batches: Batch[] = Array.from({ length: w.batches }, () => ({ n: 0, within: 0, waited: 0, sum: 0 }));
  const width = (w.toMs - w.fromMs) / w.batches;
  for (let k = 0; k < arrivalsMs.length; k++) {
    const t = arrivalsMs[k] as number;
    if (t < w.fromMs || t >= w.toMs) continue;
    const b = batches[Math.min(w.batches - 1, Math.floor((t - w.fromMs) / width))] as Batch;
    const wait = waitsMs[k] as number;
    b.n++;
    if (wait <= w.thresholdMs) b.within++;
    if (wait > 0) b.waited++;
    b.sum += wait;
  }
  const total = (f: (b: Batch) => number) => batches.reduce((a, b) => a + f(b), 0);
  const calls = total((b) => b.n);
  const stdErrOf = (f: (b: Batch) => number): number => {
    const means = batches.map((b) => (b.n === 0 ? 0 : f(b) / b.n));
    const mean = means.reduce((a, x) => a + x, 0) / means.length;
    const variance = means.reduce((a, x) => a + (x - mean) ** 2, 0) / (means.length - 1);
    return Math.sqrt(variance / means.length);
  };
  return {
    calls,
    serviceLevel: total((b) => b.within) / calls,
    pWait: total((b) => b.waited) / calls,
    asaMs: total((b) => b.sum) / calls,
    stdErr: {
      serviceLevel: stdErrOf((b) => b.within),
      pWait: stdErrOf((b) => b.waited),
      asaMs: stdErrOf((b) => b.sum),
    },
    batches: w.batches,
  };
}

/**
 * Standard error by batch means of the mean of any per-caller value over the window, e.g. the
 * difference between two runs' service-level indicators for the same callers.
 */
export function batchMeanStdErr(
  arrivalsMs: Float64Array,
  value: (k: number) => number,
  w: Omit<WaitWindow, 'thresholdMs'>,
): number {
  if (!(w.toMs > w.fromMs)) throw new RangeError('batchMeanStdErr: the window is empty');
  if (!Number.isInteger(w.batches) || w.batches < 2)
    throw new RangeError('batchMeanStdErr: batches must be >= 2');
  const n = new Array<number>(w.batches).fill(0);
  const sum = new Array<number>(w.batches).fill(0);
  const width = (w.toMs - w.fromMs) / w.batches;
  for (let k = 0; k < arrivalsMs.length; k++) {
    const t = arrivalsMs[k] as number;
    if (t < w.fromMs || t >= w.toMs) continue;
    const b = Math.min(w.batches - 1, Math.floor((t - w.fromMs) / width));
    n[b] = (n[b] as number) + 1;
    sum[b] = (sum[b] as number) + value(k);
  }
  const means = sum.map((s, b) => (n[b] === 0 ? 0 : s / (n[b] as number)));
  const mean = means.reduce((a, x) => a + x, 0) / means.length;
  const variance = means.reduce((a, x) => a + (x - mean) ** 2, 0) / (means.length - 1);
  return Math.sqrt(variance / means.length);
}
