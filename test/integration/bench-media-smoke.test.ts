// The media bench at its smallest (K = 2 on the product and on bare mediasoup, short windows; the
// misbehaving clients are left to the bench itself, for time), so the bench cannot rot. It asserts the run completed, every figure is
// finite and media reached every participant; never timings.
import { describe, expect, it } from 'vitest';
import { runMediaBench } from '../../bench/media/bench';
import { report } from '../../bench/media/report';

describe('bench:media smoke run', () => {
  it('carries K = 2 three-way calls on both servers and prints finite figures', async () => {
    const result = await runMediaBench({
      ks: [2],
      seconds: 2,
      warmupSeconds: 1,
      workers: 1,
      videoKbps: 1500,
      bad: [],
      badK: 2,
      rounds: 1,
      log: () => undefined,
    });
    expect(result.rows).toHaveLength(1);
    const row = result.rows[0]!;
    for (const f of [row.product, row.bare]) {
      expect(f.streams, `${f.target}: every consumer forwarded media`).toBe(f.expectedStreams);
      expect(f.minPacketsPerParticipant, `${f.target}: every participant received`).toBeGreaterThan(0);
      for (const x of [f.nodeCpu, f.workersCpu, f.loss, f.jitterAudioMs, f.jitterVideoMs, f.rssPerCallMiB]) {
        expect(Number.isFinite(x)).toBe(true);
      }
    }
    expect(report(result)).toContain('product/bare');
  }, 120_000);
});
