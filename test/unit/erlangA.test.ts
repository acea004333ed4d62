import { describe, expect, it } from 'vitest';
import { exponential, mulberry32 } from '../../scripts/simulate/random';
import { erlangA } from '../../server/src/staffing/erlangA';
import { erlangC, type Load } from '../../server/src/staffing/erlangC';

function poisson(a: number, n: number): number {
  let p = Math.exp(-a);
  for (let k = 1; k <= n; k++) p *= a / k;
  return p;
}

/** P(Binomial(n, p) ≥ m), summed term by term. */
function binomialAtLeast(n: number, p: number, m: number): number {
  let term = (1 - p) ** n; // j = 0
  let sum = 0;
  for (let j = 0; j <= n; j++) {
    if (j >= m) sum += term;
    term *= ((n - j) / (j + 1)) * (p / (1 - p));
  }
  return sum;
}

describe('erlangA when patience equals the handle time', () => {
  // With θ = μ every state dies at rate n·μ, as in an M/M/∞ queue: the number of callers present is
  // Poisson(a) whatever c is. A caller who finds k queued is answered with probability c/(c+k+1), after
  // stages at rates (c+1..c+k+1)·μ: by Rényi's representation that is the (k+1)-th smallest of c+k+1
  // Exp(μ) clocks, so P(stages ≤ T) = P(Binomial(c+k+1, 1−e^{−μT}) ≥ k+1) and their mean is
  // (H(c+k+1) − H(c))/μ.
  const a = 4;
  const c = 5;
  const ahtS = 300;
  const load: Load = { ratePerHour: (a * 3600) / ahtS, ahtS };
  const thresholdS = 60;

  it('matches the Poisson closed forms', () => {
    const figures = erlangA(load, c, thresholdS, ahtS);
    const p = 1 - Math.exp(-thresholdS / ahtS);
    let pNoWait = 0;
    for (let n = 0; n < c; n++) pNoWait += poisson(a, n);
    let meanQueue = 0;
    let withinT = 0;
    let answered = pNoWait;
    let answeredWait = 0;
    let stages = 0;
    for (let k = 0; k < 200; k++) {
      const pk = poisson(a, c + k);
      const pAnswered = c / (c + k + 1);
      stages += 1 / (c + k + 1);
      meanQueue += k * pk;
      withinT += pk * pAnswered * binomialAtLeast(c + k + 1, p, k + 1);
      answered += pk * pAnswered;
      answeredWait += pk * pAnswered * stages * ahtS;
    }
    expect(figures.pWait).toBeCloseTo(1 - pNoWait, 12);
    expect(figures.pAbandon).toBeCloseTo(meanQueue / a, 12);
    expect(figures.pAbandon).toBeCloseTo(1 - answered, 12);
    expect(figures.serviceLevel).toBeCloseTo(pNoWait + withinT, 11);
    expect(figures.asaS).toBeCloseTo(answeredWait / answered, 9);
  });
});

describe('erlangA as patience grows without bound', () => {
  const load: Load = { ratePerHour: 200, ahtS: 180 }; // 10 Erlangs

  it('converges to Erlang C, a = 10, c = 11..14, the gap shrinking like 1/patience', () => {
    for (const c of [11, 12, 13, 14]) {
      const target = erlangC(load, c, 20);
      const gaps = [1e7, 1e9, 1e11].map((patienceS) => {
        const figures = erlangA(load, c, 20, patienceS);
        return Math.max(
          Math.abs(figures.pWait - target.pWait),
          Math.abs(figures.serviceLevel - target.serviceLevel),
          Math.abs(figures.asaS - target.asaS) / target.asaS,
          Math.abs(figures.occupancy - target.occupancy),
        );
      });
      // 100 times the patience, a hundredth of the gap: first-order convergence, no numerical floor.
      expect(gaps[0]! / gaps[1]!).toBeGreaterThan(80);
      expect(gaps[0]! / gaps[1]!).toBeLessThan(120);
      expect(gaps[1]! / gaps[2]!).toBeGreaterThan(80);
      expect(gaps[1]! / gaps[2]!).toBeLessThan(120);
      expect(gaps[2]!).toBeLessThan(1e-7);
    }
  });

  it('converges at 1000 agents too, without overflow', () => {
    const big: Load = { ratePerHour: 9_500, ahtS: 360 }; // 950 Erlangs
    const target = erlangC(big, 1000, 20);
    const figures = erlangA(big, 1000, 20, 1e9);
    expect(figures.pWait).toBeCloseTo(target.pWait, 6);
    expect(figures.serviceLevel).toBeCloseTo(target.serviceLevel, 6);
    expect(figures.asaS).toBeCloseTo(target.asaS, 4);
  });
});

describe('erlangA figures', () => {
  const load: Load = { ratePerHour: 200, ahtS: 180 }; // 10 Erlangs

  it('balances the flow: answered callers keep the busy agents busy', () => {
    for (const c of [6, 9, 10, 11, 14]) {
      for (const patienceS of [10, 120, 1000]) {
        const f = erlangA(load, c, 20, patienceS);
        expect(f.occupancy * c).toBeCloseTo(10 * (1 - f.pAbandon), 10);
      }
    }
  });

  it('stays stable with fewer agents than Erlangs, losing at least the excess', () => {
    const f = erlangA(load, 8, 20, 120);
    expect(f.pAbandon).toBeGreaterThanOrEqual(1 - 8 / 10);
    expect(f.serviceLevel).toBeGreaterThan(0);
    expect(Number.isFinite(f.asaS)).toBe(true);
  });

  it('with a threshold far beyond any patience, answers all but the hang-ups', () => {
    const f = erlangA(load, 11, 30 * 120, 120);
    expect(f.serviceLevel).toBeCloseTo(1 - f.pAbandon, 10);
    expect(f.pAbandonWithinThreshold).toBeCloseTo(f.pAbandon, 10);
  });

  it('with a zero threshold, answers only those who do not wait', () => {
    const f = erlangA(load, 11, 0, 120);
    expect(f.serviceLevel).toBeCloseTo(1 - f.pWait, 14);
    expect(f.pAbandonWithinThreshold).toBe(0);
  });

  it('never keeps more callers waiting past the threshold than Erlang C does', () => {
    // Hang-ups only take callers out of the line, so nobody's wait gets longer; a caller Erlang C answers
    // in time is, under Erlang A, answered in time or gone within the threshold.
    for (const c of [11, 12, 14]) {
      for (const thresholdS of [0, 20, 120]) {
        for (const patienceS of [5, 60, 600]) {
          const a = erlangA(load, c, thresholdS, patienceS);
          const cFigures = erlangC(load, c, thresholdS);
          expect(a.serviceLevel + a.pAbandonWithinThreshold).toBeGreaterThanOrEqual(cFigures.serviceLevel);
          expect(a.pWait).toBeLessThanOrEqual(cFigures.pWait);
        }
      }
    }
  });

  it('improves with every agent added and every second of threshold', () => {
    const byAgents = [8, 9, 10, 11, 12, 13].map((c) => erlangA(load, c, 20, 120));
    for (let i = 1; i < byAgents.length; i++) {
      expect(byAgents[i]!.serviceLevel).toBeGreaterThan(byAgents[i - 1]!.serviceLevel);
      expect(byAgents[i]!.pAbandon).toBeLessThan(byAgents[i - 1]!.pAbandon);
      expect(byAgents[i]!.asaS).toBeLessThan(byAgents[i - 1]!.asaS);
    }
    const byThreshold = [0, 5, 20, 60].map((t) => erlangA(load, 11, t, 120).serviceLevel);
    for (let i = 1; i < byThreshold.length; i++) expect(byThreshold[i]!).toBeGreaterThan(byThreshold[i - 1]!);
  });

  it('stays finite for 1000 agents with short patience', () => {
    const f = erlangA({ ratePerHour: 10_000, ahtS: 351 }, 1000, 20, 120); // 975 Erlangs
    for (const value of Object.values(f)) expect(Number.isFinite(value)).toBe(true);
    for (const share of [f.pWait, f.serviceLevel, f.occupancy, f.pAbandon]) {
      expect(share).toBeGreaterThan(0);
      expect(share).toBeLessThan(1);
    }
  });

  it('needs no agents busy when nobody calls', () => {
    const f = erlangA({ ratePerHour: 0, ahtS: 180 }, 3, 20, 120);
    expect(f).toMatchObject({ pWait: 0, serviceLevel: 1, asaS: 0, occupancy: 0, pAbandon: 0 });
  });

  it('refuses inputs it cannot model', () => {
    expect(() => erlangA(load, 0, 20, 120)).toThrow(/agents must be an integer ≥ 1/);
    expect(() => erlangA(load, 2.5, 20, 120)).toThrow(/agents must be an integer ≥ 1/);
    expect(() => erlangA(load, 11, 20, 0)).toThrow(/patienceS must be a positive finite/);
    expect(() => erlangA(load, 11, 20, Number.POSITIVE_INFINITY)).toThrow(/patienceS/);
    expect(() => erlangA(load, 11, -1, 120)).toThrow(/thresholdS must be a finite number ≥ 0/);
  });
});

describe('erlangA against a simulated queue', () => {
  /**
   * A first-come-first-served queue with c agents, simulated caller by caller: each caller takes the
   * agent who frees up first, if that happens before his own patience runs out. Statistics come in
   * batches of 10,000 callers: at 10 Erlangs the queue forgets its past within a few handle times (tens
   * of callers), so batch means are nearly independent and their spread gives the standard error.
   * 4 standard errors leave a 1-in-15,000 chance for a correct formula to fail with a fresh seed; the
   * seed is fixed, so the test is deterministic.
   */
  function simulate(load: Load, c: number, thresholdS: number, patienceS: number, seed: number) {
    const rand = mulberry32(seed);
    const freeAt = new Array<number>(c).fill(0);
    const batches = 40;
    const batchSize = 10_000;
    const warmUp = 2_000;
    const meanGapS = 3600 / load.ratePerHour;
    const stats: Record<'pWait' | 'pAbandon' | 'serviceLevel' | 'abandonWithin' | 'asaS', number[]> = {
      pWait: [],
      pAbandon: [],
      serviceLevel: [],
      abandonWithin: [],
      asaS: [],
    };
    let now = 0;
    for (let b = -1; b < batches; b++) {
      const size = b < 0 ? warmUp : batchSize;
      let waited = 0;
      let abandoned = 0;
      let inTime = 0;
      let abandonedInTime = 0;
      let answeredWait = 0;
      for (let i = 0; i < size; i++) {
        now += exponential(rand, meanGapS);
        const patience = exponential(rand, patienceS);
        const service = exponential(rand, load.ahtS);
        let agent = 0;
        for (let j = 1; j < c; j++) if (freeAt[j]! < freeAt[agent]!) agent = j;
        const start = Math.max(now, freeAt[agent]!);
        const wait = start - now;
        if (wait > 0) waited++;
        if (wait <= patience) {
          freeAt[agent] = start + service;
          answeredWait += wait;
          if (wait <= thresholdS) inTime++;
        } else {
          abandoned++;
          if (patience <= thresholdS) abandonedInTime++;
        }
      }
      if (b < 0) continue;
      stats.pWait.push(waited / size);
      stats.pAbandon.push(abandoned / size);
      stats.serviceLevel.push(inTime / size);
      stats.abandonWithin.push(abandonedInTime / size);
      stats.asaS.push(answeredWait / (size - abandoned));
    }
    return stats;
  }

  function meanAndError(xs: number[]): { mean: number; error: number } {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
    return { mean, error: Math.sqrt(variance / xs.length) };
  }

  it.each([
    { c: 10, patienceS: 180, thresholdS: 20, seed: 7 },
    { c: 9, patienceS: 60, thresholdS: 30, seed: 11 },
  ])(
    'agrees within 4 standard errors: c = $c, patience $patienceS s',
    ({ c, patienceS, thresholdS, seed }) => {
      const load: Load = { ratePerHour: 120, ahtS: 300 }; // 10 Erlangs
      const exact = erlangA(load, c, thresholdS, patienceS);
      const simulated = simulate(load, c, thresholdS, patienceS, seed);
      const pairs = [
        [exact.pWait, simulated.pWait],
        [exact.pAbandon, simulated.pAbandon],
        [exact.serviceLevel, simulated.serviceLevel],
        [exact.pAbandonWithinThreshold, simulated.abandonWithin],
        [exact.asaS, simulated.asaS],
      ] as const;
      for (const [value, batchValues] of pairs) {
        const { mean, error } = meanAndError(batchValues);
        expect(Math.abs(mean - value)).toBeLessThan(4 * error);
      }
    },
  );
});
