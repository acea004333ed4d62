// The wait estimate is honest for every language: in a simulated day of the default centre (fixed
// seed), each language with 30+ calls has a mean bias within ±30 s and a mean absolute error within
// max(60 s, half its mean wait); the old estimator ('basic') does not, on the same calls.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../scripts/simulate/engine';
import { estimateAccuracy, failing } from '../../scripts/simulate/estimateAccuracy';
import { assertSameCalls, estimateReport } from '../../scripts/simulate/estimateReport';

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
