import { describe, expect, it } from 'vitest';
import { simulate } from '../../scripts/simulate/engine';
import { report } from '../../scripts/simulate/report';
import { DAY, DAY_START } from '../../scripts/simulate/scenario';
import { loadScenario } from '../../scripts/simulate/scenarioFile';
import type { Scenario } from '../../scripts/simulate/scenarioSchema';
import { simulateWithStaffing } from '../../scripts/simulate/staffing';

/** The default centre at a tenth of its calls, so a simulated day takes a fraction of a second. */
function smallCentre(): Scenario {
  const s = loadScenario();
  return { ...s, arrivalsPerHour: s.arrivalsPerHour.map((r) => r / 10) };
}

const answeredLive = (calls: ReturnType<typeof simulate>['calls']) =>
  calls.filter((c) => c.matchedAt !== null && c.fallback !== 'callback').length;

describe('simulate', () => {
  it('gives the same records for the same seed and scenario, and others for another seed', () => {
    const scenario = smallCentre();
    const a = simulate({ seed: 4, scenario });
    const b = simulate({ seed: 4, scenario });
    expect(b.calls).toEqual(a.calls);
    expect(b.counters).toEqual(a.counters);
    expect(simulate({ seed: 5, scenario }).calls).not.toEqual(a.calls);
  });

  it("runs the lobby under the scenario's offer policy", () => {
    const base = smallCentre();
    const expired = (lobby: Scenario['lobby']) =>
      simulate({ seed: 3, scenario: { ...base, lobby } }).counters.get('event offer-expired') ?? 0;
    // Agents answer within 2–8 s: a 4 s timeout loses most offers, a 12 s one only those missed.
    const patient = expired({ offerTimeoutS: 12 });
    expect(expired({ offerTimeoutS: 4 })).toBeGreaterThan(3 * patient);
    expect(expired({})).toBe(patient); // the lobby's own default is 12 s
  });

  it('runs consecutive days, each call on the day it arrived', () => {
    const days = 3;
    const r = simulate({ seed: 1, days, scenario: smallCentre() });
    expect(r.days).toBe(days);
    const seen = new Set(r.calls.map((c) => c.day));
    expect([...seen].sort()).toEqual([0, 1, 2]);
    for (const c of r.calls) {
      expect(c.arrivedAt).toBeGreaterThanOrEqual(DAY_START + c.day * DAY);
      expect(c.arrivedAt).toBeLessThan(DAY_START + (c.day + 1) * DAY);
      if (c.matchedAt !== null) expect(c.matchedAt).toBeGreaterThanOrEqual(c.arrivedAt);
    }
    expect(report(r)).toContain('By day (of arrival):');
    expect(report(r)).toContain('day 3 (Wed)');
  });

  it('refuses a number of days that is not a whole number >= 1', () => {
    expect(() => simulate({ seed: 1, days: 0, scenario: smallCentre() })).toThrow(
      /days must be an integer >= 1/,
    );
  });

  it('with a staffing override, runs the same calls with other agents', () => {
    const scenario = smallCentre();
    const usual = simulate({ seed: 2, scenario });
    // Nobody on the day shift: day-shift callers can only be answered once the night shift comes in.
    const empty = simulateWithStaffing({ seed: 2, scenario }, { day: 0 });
    const dayCalls = (r: typeof usual) => r.calls.filter((c) => c.shift === 'day');
    const answeredInShift = (r: typeof usual) =>
      dayCalls(r).filter((c) => c.matchedAt !== null && c.matchedAt < DAY_START + 18 * 3_600_000).length;
    expect(dayCalls(empty).length).toBe(dayCalls(usual).length);
    expect(answeredInShift(usual)).toBeGreaterThan(0);
    expect(answeredInShift(empty)).toBe(0);
    expect(answeredLive(empty.calls)).toBeLessThan(answeredLive(usual.calls));
  });
});
