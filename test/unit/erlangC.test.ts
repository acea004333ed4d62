import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, erlangCWait, offeredErlangs } from '../../server/src/staffing/erlangC';

/** a^k / k! for k = 0..n, straight from the definition (fine for the small numbers used here). */
function poissonTerms(a: number, n: number): number[] {
  const terms = [1];
  for (let k = 1; k <= n; k++) terms.push((terms[k - 1]! * a) / k);
  return terms;
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** The textbook factorial-sum form of Erlang C: (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)). */
function directErlangC(a: number, c: number): number {
  const top = (a ** c / factorial(c)) * (c / (c - a));
  let below = 0;
  for (let k = 0; k < c; k++) below += a ** k / factorial(k);
  return top / (below + top);
}

/** The same formula in log space, for loads where a^c/c! overflows a double. */
function logSpaceErlangC(a: number, c: number): number {
  const logTerms: number[] = [];
  let logTerm = 0;
  for (let k = 0; k <= c; k++) {
    if (k > 0) logTerm += Math.log(a / k);
    logTerms.push(logTerm);
  }
  const logTop = logTerms[c]! + Math.log(c / (c - a));
  const logsBelow = logTerms.slice(0, c);
  const hi = Math.max(logTop, ...logsBelow);
  const below = logsBelow.reduce((s, l) => s + Math.exp(l - hi), 0);
  const top = Math.exp(logTop - hi);
  return top / (below + top);
}

describe('offeredErlangs', () => {
  it('is arrivals per second times handle time', () => {
    expect(offeredErlangs({ ratePerHour: 95, ahtS: 351 })).toBeCloseTo((95 * 351) / 3600, 12);
    expect(offeredErlangs({ ratePerHour: 360, ahtS: 100 })).toBeCloseTo(10, 12);
  });
});

describe('erlangB', () => {
  it('matches the factorial form (a^c/c!) / Σ_{k≤c} a^k/k!', () => {
    for (const [c, a] of [
      [1, 0.5],
      [3, 2],
      [10, 10],
      [14, 10],
    ] as const) {
      const terms = poissonTerms(a, c);
      const direct = terms[c]! / terms.reduce((s, t) => s + t, 0);
      expect(erlangB(c, a)).toBeCloseTo(direct, 13);
    }
  });
});

describe('erlangCWait', () => {
  it('matches the factorial-sum formula at a = 10 Erlangs, c = 11..14', () => {
    for (const c of [11, 12, 13, 14]) {
      expect(erlangCWait(c, 10)).toBeCloseTo(directErlangC(10, c), 12);
    }
  });

  it('falls as agents are added', () => {
    const waits = [11, 12, 13, 14, 15].map((c) => erlangCWait(c, 10));
    for (let i = 1; i < waits.length; i++) expect(waits[i]!).toBeLessThan(waits[i - 1]!);
  });

  it('is 1 at or beyond the stability limit, 0 with no load', () => {
    expect(erlangCWait(10, 10)).toBe(1);
    expect(erlangCWait(9, 10)).toBe(1);
    expect(erlangCWait(5, 0)).toBe(0);
  });

  it('stays finite for 1000 agents and agrees with the log-space formula', () => {
    for (const a of [900, 950, 990, 999]) {
      const c = erlangCWait(1000, a);
      expect(Number.isFinite(c)).toBe(true);
      expect(c).toBeGreaterThan(0);
      expect(c).toBeLessThan(1);
      expect(Math.abs(c - logSpaceErlangC(a, 1000)) / c).toBeLessThan(1e-9);
    }
  });
});

describe('erlangC', () => {
  // 10 Erlangs from 200 calls an hour of 180 s each.
  const load = { ratePerHour: 200, ahtS: 180 };

  /**
   * An independent route to the service level and ASA: an arrival who finds k callers queued (with
   * probability C·(1−ρ)·ρ^k, ρ = a/c) waits for k+1 departures at rate c·μ, an Erlang(k+1, cμ) time.
   * P(Erlang(k+1, β) ≤ T) = 1 − Σ_{j≤k} e^{−βT}(βT)^j/j!; its mean is (k+1)/β.
   */
  function byQueueStates(a: number, c: number, ahtS: number, thresholdS: number) {
    const pWait = directErlangC(a, c);
    const rho = a / c;
    const beta = c / ahtS;
    const bt = beta * thresholdS;
    let late = 0;
    let meanWait = 0;
    let poissonTerm = Math.exp(-bt);
    let poissonCdf = 0;
    for (let k = 0; k < 2000; k++) {
      poissonCdf += poissonTerm; // Σ_{j≤k} Poisson(j; βT)
      const pk = pWait * (1 - rho) * rho ** k;
      late += pk * poissonCdf; // P(k queued) · P(Erlang(k+1) > T)
      meanWait += (pk * (k + 1)) / beta;
      poissonTerm *= bt / (k + 1);
    }
    return { serviceLevel: 1 - late, asaS: meanWait };
  }

  it('gives the service level and ASA the queue states give, c = 11..14', () => {
    for (const c of [11, 12, 13, 14]) {
      for (const thresholdS of [0, 20, 60]) {
        const figures = erlangC(load, c, thresholdS);
        const expected = byQueueStates(10, c, 180, thresholdS);
        expect(figures.pWait).toBeCloseTo(directErlangC(10, c), 12);
        expect(figures.serviceLevel).toBeCloseTo(expected.serviceLevel, 10);
        expect(figures.asaS).toBeCloseTo(expected.asaS, 8);
        expect(figures.occupancy).toBeCloseTo(10 / c, 12);
        expect(figures.erlangs).toBeCloseTo(10, 12);
      }
    }
  });

  it('answers only those who do not wait when the threshold is 0', () => {
    const figures = erlangC(load, 12, 0);
    expect(figures.serviceLevel).toBeCloseTo(1 - figures.pWait, 14);
  });

  it('reports an unstable queue (a ≥ c) as service level 0 and an endless ASA', () => {
    for (const c of [9, 10]) {
      const figures = erlangC(load, c, 20);
      expect(figures.pWait).toBe(1);
      expect(figures.serviceLevel).toBe(0);
      expect(figures.asaS).toBe(Number.POSITIVE_INFINITY);
      expect(figures.occupancy).toBe(1);
    }
  });

  it('handles 1000 agents without overflow or NaN', () => {
    const big = { ratePerHour: 9_900, ahtS: 360 }; // 990 Erlangs
    const figures = erlangC(big, 1000, 20);
    for (const value of Object.values(figures)) expect(Number.isFinite(value)).toBe(true);
    expect(figures.pWait).toBeGreaterThan(0);
    expect(figures.pWait).toBeLessThan(1);
    expect(figures.serviceLevel).toBeGreaterThan(0);
    expect(figures.serviceLevel).toBeLessThan(1);
    const expected = 1 - logSpaceErlangC(990, 1000) * Math.exp((-(1000 - 990) * 20) / 360);
    expect(figures.serviceLevel).toBeCloseTo(expected, 9);
  });
});
