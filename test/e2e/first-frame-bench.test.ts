import { describe, expect, it } from 'vitest';
import { runFirstFrameBench } from '../../bench/first-frame/run';

// The bench cannot rot: a small run (3 calls of each flow, 3 interpreter joins, no warm-up) completes, every
// call got its first frame, and the figures are finite. Timings are printed, never asserted.
describe('bench:first-frame smoke run', () => {
  it('measures our flow, the bare flow and the interpreter join', async () => {
    const figures = await runFirstFrameBench({ calls: 3, joins: 3, warmUp: false });
    console.log('[first-frame smoke]', JSON.stringify(figures.samples));
    for (const [name, samples] of Object.entries(figures.samples)) {
      expect(samples, name).toHaveLength(3);
      for (const ms of samples) {
        expect(Number.isFinite(ms), `${name}: ${ms}`).toBe(true);
        expect(ms, name).toBeGreaterThan(0);
      }
    }
    for (const figure of [figures.ratio.p50, figures.ratio.p95]) expect(Number.isFinite(figure)).toBe(true);
  }, 90_000);
});
