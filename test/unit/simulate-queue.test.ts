import { describe, expect, it } from 'vitest';
import { fcfsWaits } from '../../scripts/simulate/fcfsQueue';
import { batchMeanStdErr, waitStats } from '../../scripts/simulate/waitStats';

const f = (xs: number[]) => Float64Array.from(xs);

describe('fcfsWaits', () => {
  it('one server: each caller waits for the one before to finish', () => {
    // Arrive at 0, 1, 2; each takes 3: served at 0, 3, 6.
    expect([...fcfsWaits(f([0, 1, 2]), f([3, 3, 3]), 1)]).toEqual([0, 2, 4]);
  });

  it('two servers: a caller takes whichever frees first', () => {
    // A is busy 0–10 and B 1–3; the third caller (at 2) waits for B until 3 and keeps it until 4, when
    // the fourth arrives and takes it at once.
    expect([...fcfsWaits(f([0, 1, 2, 4]), f([10, 2, 1, 5]), 2)]).toEqual([0, 0, 1, 0]);
  });

  it('nobody waits while there are more servers than callers in the system', () => {
    expect([...fcfsWaits(f([0, 1, 2, 3]), f([100, 100, 100, 100]), 4)]).toEqual([0, 0, 0, 0]);
  });

  it('refuses missing service times and a server count below 1', () => {
    expect(() => fcfsWaits(f([0, 1]), f([1]), 1)).toThrow(/service time/);
    expect(() => fcfsWaits(f([0]), f([1]), 0)).toThrow(/servers/);
  });
});

describe('waitStats', () => {
  // Ten callers, one per ms of a 10 ms window; waits 0, 5, 0, 30, 0, 5, 0, 30, 0, 5.
  const arrivals = f([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const waits = f([0, 5, 0, 30, 0, 5, 0, 30, 0, 5]);

  it('counts the share within the threshold, the share who waited at all and the mean wait', () => {
    const s = waitStats(arrivals, waits, { fromMs: 0, toMs: 10, thresholdMs: 5, batches: 2 });
    expect(s.calls).toBe(10);
    expect(s.serviceLevel).toBeCloseTo(8 / 10);
    expect(s.pWait).toBeCloseTo(5 / 10);
    expect(s.asaMs).toBeCloseTo(75 / 10);
  });

  it('leaves out callers outside the window', () => {
    const s = waitStats(arrivals, waits, { fromMs: 2, toMs: 6, thresholdMs: 5, batches: 2 });
    expect(s.calls).toBe(4);
    expect(s.asaMs).toBeCloseTo(35 / 4);
  });

  it('gives the standard error of the batch means', () => {
    // Batches [0, 5) and [5, 10): mean waits 7 and 8; sd of the two = √0.5, SE = √0.5 / √2 = 0.5.
    const s = waitStats(arrivals, waits, { fromMs: 0, toMs: 10, thresholdMs: 5, batches: 2 });
    expect(s.stdErr.asaMs).toBeCloseTo(0.5);
    expect(
      batchMeanStdErr(arrivals, (k) => waits[k] as number, { fromMs: 0, toMs: 10, batches: 2 }),
    ).toBeCloseTo(0.5);
    expect(batchMeanStdErr(arrivals, () => 1, { fromMs: 0, toMs: 10, batches: 5 })).toBe(0);
  });
});
