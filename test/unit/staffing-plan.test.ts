import { describe, expect, it } from 'vitest';
import { exponential, mulberry32 } from '../../scripts/simulate/random';
import { erlangC, type Load } from '../../server/src/staffing/erlangC';
import {
  agentsNeeded,
  fitPatience,
  shareMeetingTarget,
  staffingFigures,
  type QueueModel,
  type Target,
} from '../../server/src/staffing/plan';

const tenErlangs: Load = { ratePerHour: 200, ahtS: 180 };
const eightyTwenty: Target = { serviceLevel: 0.8, thresholdS: 20 };

/** Erlang C's service level from the factorial sums, for small loads. */
function textbookServiceLevel(a: number, c: number, ahtS: number, thresholdS: number): number {
  let term = 1;
  let below = 0;
  for (let k = 0; k < c; k++) {
    below += term;
    term *= a / (k + 1);
  }
  const top = term * (c / (c - a)); // a^c/c! · c/(c−a)
  const pWait = top / (below + top);
  return 1 - pWait * Math.exp((-(c - a) * thresholdS) / ahtS);
}

describe('agentsNeeded by Erlang C', () => {
  it('finds the textbook answer: the first staffing past a whose service level reaches the target', () => {
    let expected = 11;
    while (textbookServiceLevel(10, expected, 180, 20) < 0.8) expected++;
    const staffing = agentsNeeded(tenErlangs, eightyTwenty, 'erlang-c');
    expect(staffing.agents).toBe(expected);
    expect(staffing).toEqual({
      ...erlangC(tenErlangs, expected, 20),
      pAbandon: 0,
      pAbandonWithinThreshold: 0,
    });
  });

  it('puts one agent on a trickle of calls', () => {
    // a = 1/60: one agent is busy 1/60 of the time, and a caller waits with that probability.
    const staffing = agentsNeeded({ ratePerHour: 1, ahtS: 60 }, eightyTwenty, 'erlang-c');
    expect(staffing.agents).toBe(1);
    expect(staffing.pWait).toBeCloseTo(1 / 60, 12);
  });

  it('needs nobody when nobody calls', () => {
    for (const model of ['erlang-c', { patienceS: 60 }] as const) {
      expect(agentsNeeded({ ratePerHour: 0, ahtS: 300 }, eightyTwenty, model)).toMatchObject({
        agents: 0,
        serviceLevel: 1,
        pWait: 0,
      });
    }
  });
});

describe('agentsNeeded', () => {
  const models: QueueModel[] = ['erlang-c', { patienceS: 30 }, { patienceS: 120 }, { patienceS: 900 }];

  it('returns the smallest staffing that meets the target, for either convention', () => {
    for (const model of models) {
      for (const abandonsWithinThreshold of ['missed', 'met'] as const) {
        for (const ratePerHour of [3, 40, 95, 400]) {
          const load = { ratePerHour, ahtS: 351 };
          const target = { ...eightyTwenty, abandonsWithinThreshold };
          const staffing = agentsNeeded(load, target, model);
          expect(shareMeetingTarget(staffing, target)).toBeGreaterThanOrEqual(0.8);
          expect(staffing).toEqual(staffingFigures(load, staffing.agents, 20, model));
          // One fewer fails, and so does every staffing below (checked all the way down).
          for (let fewer = staffing.agents - 1; fewer >= 1; fewer--) {
            const figures = staffingFigures(load, fewer, 20, model);
            expect(shareMeetingTarget(figures, target)).toBeLessThan(0.8);
          }
        }
      }
    }
  });

  it('never needs fewer agents for more calls', () => {
    for (const model of models) {
      let previous = 0;
      for (let ratePerHour = 0; ratePerHour <= 400; ratePerHour += 10) {
        const { agents } = agentsNeeded({ ratePerHour, ahtS: 351 }, eightyTwenty, model);
        expect(agents).toBeGreaterThanOrEqual(previous);
        previous = agents;
      }
    }
  });

  it('never needs fewer agents for a tighter target', () => {
    for (const model of models) {
      const byShare = [0.5, 0.7, 0.8, 0.9, 0.95, 0.99].map(
        (serviceLevel) => agentsNeeded(tenErlangs, { serviceLevel, thresholdS: 20 }, model).agents,
      );
      const byThreshold = [300, 120, 60, 20, 5, 0].map(
        (thresholdS) => agentsNeeded(tenErlangs, { serviceLevel: 0.8, thresholdS }, model).agents,
      );
      for (const needs of [byShare, byThreshold]) {
        for (let i = 1; i < needs.length; i++) expect(needs[i]!).toBeGreaterThanOrEqual(needs[i - 1]!);
      }
    }
  });

  it('under Erlang A never needs more than Erlang C when early hang-ups do not count as missed', () => {
    for (const ratePerHour of [5, 95, 500, 2000]) {
      for (const serviceLevel of [0.5, 0.8, 0.95, 0.99]) {
        for (const thresholdS of [0, 20, 300]) {
          for (const patienceS of [5, 60, 600]) {
            const load = { ratePerHour, ahtS: 351 };
            const target: Target = { serviceLevel, thresholdS, abandonsWithinThreshold: 'met' };
            const byC = agentsNeeded(load, target, 'erlang-c').agents;
            expect(agentsNeeded(load, target, { patienceS }).agents).toBeLessThanOrEqual(byC);
          }
        }
      }
    }
  });

  it('under Erlang A can need more than Erlang C when early hang-ups count as missed', () => {
    // 99 % within 300 s, patience 600 s: under Erlang C everyone waits his turn; under Erlang A some
    // 1-2 % hang up inside the 300 s and count as missed, which a 1 % margin cannot absorb.
    const load = { ratePerHour: 95, ahtS: 351 };
    const target: Target = { serviceLevel: 0.99, thresholdS: 300 };
    const byA = agentsNeeded(load, target, { patienceS: 600 });
    expect(byA.agents).toBeGreaterThan(agentsNeeded(load, target, 'erlang-c').agents);
    expect(byA.pAbandonWithinThreshold).toBeGreaterThan(0);
    // At 80/20 with the same patience the hang-ups save agents, as expected.
    expect(agentsNeeded(load, eightyTwenty, { patienceS: 600 }).agents).toBeLessThanOrEqual(
      agentsNeeded(load, eightyTwenty, 'erlang-c').agents,
    );
  });

  it('under Erlang A with near-endless patience needs what Erlang C needs', () => {
    // A 50 % target sends the search below a = 10 agents, where such a queue runs to millions.
    for (const serviceLevel of [0.5, 0.8, 0.95]) {
      const target = { serviceLevel, thresholdS: 20 };
      expect(agentsNeeded(tenErlangs, target, { patienceS: 1e9 }).agents).toBe(
        agentsNeeded(tenErlangs, target, 'erlang-c').agents,
      );
    }
  });

  it('plans fewer agents than Erlangs when callers are impatient enough and the target modest', () => {
    const staffing = agentsNeeded(tenErlangs, { serviceLevel: 0.5, thresholdS: 20 }, { patienceS: 30 });
    expect(staffing.agents).toBeLessThan(10);
  });

  it('refuses targets and loads that make no sense, naming the field', () => {
    expect(() => agentsNeeded(tenErlangs, { serviceLevel: 1, thresholdS: 20 }, 'erlang-c')).toThrow(
      /target.serviceLevel must be strictly between 0 and 1/,
    );
    expect(() => agentsNeeded(tenErlangs, { serviceLevel: 0.8, thresholdS: -1 }, 'erlang-c')).toThrow(
      /target.thresholdS/,
    );
    expect(() => agentsNeeded({ ratePerHour: -5, ahtS: 180 }, eightyTwenty, 'erlang-c')).toThrow(
      /ratePerHour must be a finite number ≥ 0/,
    );
    expect(() => agentsNeeded({ ratePerHour: 5, ahtS: 0 }, eightyTwenty, 'erlang-c')).toThrow(/ahtS/);
    expect(() => agentsNeeded(tenErlangs, eightyTwenty, { patienceS: -1 })).toThrow(/patienceS/);
  });
});

describe('fitPatience', () => {
  it('divides all the waiting seen by the number of hang-ups', () => {
    const fit = fitPatience([
      { waitedS: 10, abandoned: true },
      { waitedS: 20, abandoned: false },
      { waitedS: 30, abandoned: true },
      { waitedS: 40, abandoned: false },
      { waitedS: 0, abandoned: false },
    ]);
    expect(fit).toEqual({ meanPatienceS: 50, abandons: 2, answered: 3, totalWaitedS: 100 });
  });

  it('has nothing to fit without hang-ups or without waiting', () => {
    expect(fitPatience([])).toBeNull();
    expect(fitPatience([{ waitedS: 30, abandoned: false }])).toBeNull();
    expect(fitPatience([{ waitedS: 0, abandoned: true }])).toBeNull();
  });

  it('refuses a wait that is not a duration, naming the observation', () => {
    expect(() =>
      fitPatience([
        { waitedS: 3, abandoned: true },
        { waitedS: -1, abandoned: false },
      ]),
    ).toThrow(/observations\[1\]\.waitedS/);
    expect(() => fitPatience([{ waitedS: Number.NaN, abandoned: true }])).toThrow(/observations\[0\]/);
  });

  it('recovers the true patience from censored waits, where the mean of the hang-ups does not', () => {
    // Callers with patience exp(mean 120 s) who would be answered after exp(mean 60 s): a third hang up.
    // With d ≈ 6,700 hang-ups the estimate's relative standard error is about 1/√d ≈ 1.2 %; 5 % is 4 of
    // them. The seed is fixed, so the test is deterministic.
    const rand = mulberry32(2024);
    const observations = Array.from({ length: 20_000 }, () => {
      const patience = exponential(rand, 120);
      const answerAfter = exponential(rand, 60);
      return { waitedS: Math.min(patience, answerAfter), abandoned: patience < answerAfter };
    });
    const fit = fitPatience(observations)!;
    expect(Math.abs(fit.meanPatienceS - 120) / 120).toBeLessThan(4 / Math.sqrt(fit.abandons));
    const hangUps = observations.filter((o) => o.abandoned);
    const naive = hangUps.reduce((s, o) => s + o.waitedS, 0) / hangUps.length;
    expect(naive).toBeLessThan(0.5 * 120); // about 40 s: the impatient third alone
  });
});
