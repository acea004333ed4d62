// The wait estimate is honest for every language: in a simulated day of the default centre (fixed
// seed), each language with 30+ calls has a mean bias within ±30 s and a mean absolute error within
// max(60 s, half its mean wait); the old estimator ('basic') does not, on the same calls.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../scripts/simulate/engine';
import { estimateAccuracy, failing } from '../../scripts/simulate/estimateAccuracy';
import { estimateOverDays } from '../../scripts/simulate/estimateDays';
import { assertSameCalls, estimateDaysReport, estimateReport } from '../../scripts/simulate/estimateReport';

describe('wait estimate per language (simulated day, seed 3)', () => {
  const adaptive = simulate({ seed: 3 });
  const basic = simulate({ seed: 3, waitEstimator: 'basic' });

  it('the estimator changes what is shown, never what happens', () => {
    expect(() => assertSameCalls(adaptive, basic)).not.toThrow();
    const shown = (r: typeof adaptive) => r.calls.map((c) => c.shownEstimateMs);
    expect(shown(adaptive)).not.toEqual(shown(basic));
  });

  it('adaptive holds the criterion for every language with 30+ calls; basic fails it for vi', () => {
    const after = estimateAccuracy(adaptive.calls).rows;
    const held = after.filter((r) => r.pass !== null);
    expect(held.map((r) => r.language)).toEqual(expect.arrayContaining(['ko', 'kvk', 'vi', 'th', 'tl']));
    expect(failing(after)).toEqual([]);
    const before = failing(estimateAccuracy(basic.calls).rows).map((r) => r.language);
    expect(before).toContain('vi');
  });

  it('prints the table before and after', () => {
    const text = estimateReport(adaptive, basic);
    expect(text).toMatch(/^vi +\d+ +\d+ .*FAIL .*pass$/m);
    expect(text).toContain('failing before: vi');
    expect(text).toContain('after: none');
  });
});

describe('wait estimate over independent days (seeds 120, 121)', () => {
  const days = [120, 121].map((seed) => ({
    after: simulate({ seed }),
    before: simulate({ seed, waitEstimator: 'basic' }),
  }));
  const rows = estimateOverDays(days);

  it('pools every measured call of every day and counts the days each estimator passed', () => {
    for (const r of rows) {
      const perDay = days.map(
        (d) => estimateAccuracy(d.after.calls).rows.find((x) => x.language === r.language) ?? null,
      );
      expect(r.pooledAfter.measured).toBe(perDay.reduce((n, x) => n + (x?.measured ?? 0), 0));
      expect(r.heldDays).toBe(perDay.filter((x) => x !== null && x.pass !== null).length);
      expect(r.passedAfter).toBe(perDay.filter((x) => x?.pass === true).length);
      expect(r.passedBefore).toBeLessThanOrEqual(r.heldDays);
      expect(r.pooledBefore.measured).toBe(r.pooledAfter.measured); // the same calls
    }
    // Seed 120 is a day on which rare languages fail (a handful of measured calls each): counted, not hidden.
    const th = rows.find((r) => r.language === 'th');
    expect(th?.heldDays).toBe(2);
    expect(th?.passedAfter).toBeLessThan(2);
  });

  it("a day's failing biases lie within their 95% margin: that day's luck, not the estimator's", () => {
    const day = estimateAccuracy(days[0]!.after.calls).rows;
    const failed = failing(day);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect(r.measured).toBeLessThan(30);
      expect(Math.abs(r.biasMs!)).toBeLessThanOrEqual(r.biasMarginMs!);
    }
    // Where many calls were measured, the margin is narrow and the bias well within the criterion.
    for (const r of day.filter((x) => x.measured >= 75)) {
      expect(r.biasMarginMs!).toBeLessThan(30_000);
      expect(r.pass).toBe(true);
    }
  });

  it('prints days passed and the pooled verdicts', () => {
    const text = estimateDaysReport(rows, 120, 2);
    expect(text).toContain('over 2 independent days (seeds 120–121)');
    expect(text).toMatch(/^ko +\d+ +\d+ .* 2\/2 +2\/2 .*pass$/m);
    expect(text).toMatch(/pooled, failing before: .*; after: /);
  });
});
