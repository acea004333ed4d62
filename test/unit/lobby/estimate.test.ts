// The wait estimate's parts: the sums behind a hang-up-aware line, the weighing by patience, what
// patience learns from callers leaving, and that 'basic' keeps the estimate that ignores hang-ups.
import { describe, expect, it } from 'vitest';
import { estimateWait, patienceCurve, rateSum, servedWait } from '../../../server/src/lobby/estimate';
import type { EstimateInput } from '../../../server/src/lobby/estimate';
import { PATIENCE_BANDS_MS, PatienceStats } from '../../../server/src/lobby/patience';
import { busyAgent, call, harness, ok, volunteerOn } from './helpers';

const occ = { meanMs: 400_000, residualMs: 250_000 };
const input = (over: Partial<EstimateInput>): EstimateInput => ({
  position: 1,
  classRank: 1,
  regionStaff: 10,
  classStaff: 1,
  classSpare: 0,
  region: occ,
  own: occ,
  regionHazard: 0,
  ownHazard: 0,
  patience: null,
  ...over,
});

describe('rateSum', () => {
  it('equals the plain sum, short lines and long ones (digamma)', () => {
    for (const [a, h, n] of [
      [1 / 400_000, 1 / 300_000, 5],
      [1 / 400_000, 1 / 300_000, 500],
      [3 / 400_000, 1 / 3_000_000, 2_000],
      [1 / 10_000, 1e-12, 100],
    ] as const) {
      let direct = 0;
      for (let m = 0; m < n; m++) direct += 1 / (a + m * h);
      expect(rateSum(a, h, n)).toBeCloseTo(direct, -1); // within 0.5 ms
      expect(Math.abs(rateSum(a, h, n) - direct) / direct).toBeLessThan(1e-8);
    }
    expect(rateSum(1 / 400_000, 0, 3)).toBe(1_200_000);
    expect(rateSum(1, 1, 0)).toBe(0);
  });
});

describe('estimateWait', () => {
  it('without hang-ups is the queue alone: (R + (k − 1)·AHT) / N', () => {
    expect(estimateWait(input({ classRank: 3 }))).toBe(250_000 + 2 * 400_000);
    expect(estimateWait(input({ classRank: 3, classSpare: 3 }))).toBe(25_000); // the region's R / 10
    expect(estimateWait(input({ classStaff: 0 }))).toBeNull();
  });

  it('with callers ahead hanging up, the line ahead thins: far back, much less than the queue alone', () => {
    const hazard = 1 / 300_000;
    const near = estimateWait(input({ classRank: 1, ownHazard: hazard })) as number;
    const far = estimateWait(input({ classRank: 20, ownHazard: hazard })) as number;
    expect(near).toBe(250_000); // nobody ahead to hang up
    expect(far).toBeLessThan(0.2 * (250_000 + 19 * 400_000));
    expect(far).toBeGreaterThan(near);
  });
});

describe('servedWait', () => {
  const none = PATIENCE_BANDS_MS.map(() => 0);
  it('is the mean itself when nobody hangs up, and 0 for no wait', () => {
    expect(servedWait(200_000, patienceCurve(PATIENCE_BANDS_MS, none))).toBeCloseTo(200_000, 3);
    expect(servedWait(0, patienceCurve(PATIENCE_BANDS_MS, none))).toBe(0);
  });

  it('for a constant hazard h and an exponential wait (shape 1) is 1 / (1/mean + h)', () => {
    const h = 1 / 240_000;
    const flat = PATIENCE_BANDS_MS.map(() => h);
    expect(servedWait(600_000, patienceCurve(PATIENCE_BANDS_MS, flat), 1)).toBeCloseTo(
      1 / (1 / 600_000 + h),
      3,
    );
    // Shape 2 (gamma): 2 / (2/mean + h).
    expect(servedWait(600_000, patienceCurve(PATIENCE_BANDS_MS, flat), 2)).toBeCloseTo(
      2 / (2 / 600_000 + h),
      3,
    );
  });

  it('grows with the mean but stays near what the impatient would wait', () => {
    const h = PATIENCE_BANDS_MS.map(() => 1 / 240_000);
    const a = servedWait(300_000, patienceCurve(PATIENCE_BANDS_MS, h));
    const b = servedWait(3_000_000, patienceCurve(PATIENCE_BANDS_MS, h));
    expect(b).toBeGreaterThan(a);
    expect(b).toBeLessThan(2 * 240_000);
  });
});

describe('PatienceStats', () => {
  it('learns hang-ups ÷ time waited, per class once it has seen enough, and per band of waiting', () => {
    const p = new PatienceStats();
    expect(p.hazard()).toBe(0);
    // 40 callers of 'vi' wait 100 s each; every other one hangs up.
    for (let i = 0; i < 40; i++) p.record('video:vi', 100_000, i % 2 === 0 ? 'left' : 'served');
    expect(p.hazardFor('video:vi')).toBeGreaterThan(0.9 / 200_000);
    expect(p.hazardFor('video:vi')).toBeLessThan(1 / 200_000);
    // A class seen too little borrows the rate over all classes.
    p.record('video:th', 10_000, 'served');
    expect(p.hazardFor('video:th')).toBe(p.hazard());
    const bands = p.bandHazards();
    expect(bands[2]).toBeGreaterThan(0); // 60–120 s: where they hung up
    expect(bands[0]).toBe(0);
    expect(bands[5]).toBe(0); // nobody waited 240 s
  });

  it('a move to text thins the class but is no hang-up for the patience curve', () => {
    const p = new PatienceStats();
    for (let i = 0; i < 30; i++) p.record('video:vi', 185_000, 'moved');
    expect(p.hazardFor('video:vi')).toBeGreaterThan(0);
    expect(p.bandHazards().every((h) => h === 0)).toBe(true);
  });
});

describe('the lobby', () => {
  it("'basic' ignores hang-ups; 'adaptive' learns them and shows a shorter wait to a caller far back", () => {
    const shown = (waitEstimator: 'basic' | 'adaptive') => {
      const { lobby, advance } = harness({ waitEstimator });
      for (const id of ['a1', 'a2']) busyAgent(lobby, id, ['ko']);
      volunteerOn(lobby, 'v1', ['vi']);
      // Forty vi callers come and hang up after two minutes each.
      for (let i = 0; i < 40; i++) {
        call(lobby, `gone-${i}`, 'vi');
        advance(120_000);
        ok(lobby.cancelCaller(`gone-${i}`, 'abandoned'));
      }
      for (let i = 0; i < 8; i++) call(lobby, `c${i}`, 'vi');
      return lobby.callerView('c7')?.estimatedWaitMs ?? null;
    };
    const basic = shown('basic') as number;
    const adaptive = shown('adaptive') as number;
    expect(adaptive).toBeLessThan(basic / 3);
    expect(adaptive).toBeGreaterThan(0);
  });

  it('refuses an unknown waitEstimator', () => {
    expect(() => harness({ waitEstimator: 'magic' as 'basic' })).toThrow(RangeError);
  });
});
