// Percentiles and the printed table.
import type { Timelines } from './timeline';

/** The q-quantile (0..1) of the samples, nearest-rank: a figure that was measured, not interpolated. */
export function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((x, y) => x - y);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
}

export function summarise(samples: number[]): Summary {
  return { n: samples.length, p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

export interface FirstFrameFigures {
  ours: Summary;
  bare: Summary;
  /** ours / bare at p50 and at p95. */
  ratio: { p50: number; p95: number };
  interpreterJoin: Summary;
  samples: { ours: number[]; bare: number[]; interpreterJoin: number[] };
  /** The steps our pages stamped, ms after the accept: two-way calls and interpreter joins. */
  timelines: { call: Timelines; join: Timelines; bare: Timelines };
}

export function table(f: FirstFrameFigures): string {
  const row = (name: string, s: Summary) =>
    `${name.padEnd(44)}${String(s.n).padStart(4)}${String(s.p50).padStart(9)}${String(s.p95).padStart(9)}`;
  return [
    `${''.padEnd(44)}${'n'.padStart(4)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}`,
    row('ours: accept → first frame on both pages', f.ours),
    row('bare mediasoup-client, same server', f.bare),
    `${'ratio ours / bare'.padEnd(48)}${f.ratio.p50.toFixed(2).padStart(9)}${f.ratio.p95.toFixed(2).padStart(9)}`,
    row('interpreter join: accept → frames 3 ways', f.interpreterJoin),
  ].join('\n');
}
