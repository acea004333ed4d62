// The media bench at its smallest (K = 2 on the product and on bare mediasoup, short windows, one
// misbehaving client), so the bench cannot rot. It asserts the run completed, every figure is
// finite and media reached every participant; never timings.
import { describe, expect, it } from 'vitest';
import { runMediaBench } from '../../bench/media/bench';
import { report } from '../../bench/media/report';

describe('bench:media smoke run', () => {
  it('carries K = 2 three-way calls on both servers and prints finite figures', async () => {
    const result = await runMediaBench({
      ks: [2],
      seconds: 2,
      warmupSeconds: 2,
      workers: 1,
      videoKbps: 1500,
      bad: ['flood-signalling'],
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
    expect(result.bad).toHaveLength(1);
    expect(result.bad[0]!.during.minPacketsPerParticipant).toBeGreaterThan(0);
    expect(result.bad[0]!.sent).toBeGreaterThan(0);
    expect(report(result)).toContain('product/bare');
  }, 60_000);
});
