import { describe, expect, it } from 'vitest';
import {
  agentsNeeded,
  shiftPlan,
  ShiftPlanInputError,
  type ShiftPlanInput,
  type Target,
} from '../../server/src/staffing/plan';

const target: Target = { serviceLevel: 0.8, thresholdS: 20 };
const hoursFrom = (first: number, count: number) => Array.from({ length: count }, (_, i) => (first + i) % 24);
const early = { name: 'early', hours: hoursFrom(6, 8) }; // 06..13
const late = { name: 'late', hours: hoursFrom(14, 8) }; // 14..21
const night = { name: 'night', hours: hoursFrom(22, 8) }; // 22..05

/** Calls per hour: quiet at night, a morning peak at 10:00, an evening bump at 19:00. */
const dayProfile = Array.from({ length: 24 }, (_, h) => (h < 6 ? 2 : h === 10 ? 95 : h === 19 ? 40 : 20));

describe('shiftPlan', () => {
  it('staffs every hour per skill group and adds the groups up', () => {
    const input: ShiftPlanInput = {
      groups: {
        ko: { arrivalsPerHour: dayProfile, ahtS: 240 },
        kvk: { arrivalsPerHour: dayProfile.map((n) => n / 2), ahtS: 351, patienceS: 120 },
      },
      target,
      shifts: [early, late, night],
    };
    const plan = shiftPlan(input);
    expect(plan.days).toBe(1);
    expect(plan.hours).toHaveLength(24);
    for (const { hour, byGroup, agents } of plan.hours) {
      const ko = agentsNeeded({ ratePerHour: dayProfile[hour]!, ahtS: 240 }, target, 'erlang-c');
      const kvk = agentsNeeded({ ratePerHour: dayProfile[hour]! / 2, ahtS: 351 }, target, { patienceS: 120 });
      expect(byGroup.ko).toEqual(ko);
      expect(byGroup.kvk).toEqual(kvk);
      expect(agents).toBe(ko.agents + kvk.agents);
    }
  });

  it('gives each shift the busiest of its hours', () => {
    const plan = shiftPlan({
      groups: { ko: { arrivalsPerHour: dayProfile, ahtS: 240 } },
      target,
      shifts: [early, late, night],
    });
    const at = (hour: number) => plan.hours[hour]!.agents;
    const [e, l, n] = plan.shifts;
    expect(e).toMatchObject({ name: 'early', agents: at(10), peak: { day: 0, hour: 10 }, byDay: [at(10)] });
    expect(l).toMatchObject({ name: 'late', agents: at(19), peak: { day: 0, hour: 19 } });
    expect(n!.agents).toBe(Math.max(...night.hours.map(at)));
    expect(at(10)).toBeGreaterThan(at(19)); // the profile's peak is the early shift's
    expect(plan.uncovered).toEqual([]);
  });

  it('compares with the roster', () => {
    const plan = shiftPlan({
      groups: { ko: { arrivalsPerHour: dayProfile, ahtS: 240 } },
      target,
      shifts: [early, late],
      rostered: { early: 3 },
    });
    const [e, l] = plan.shifts;
    expect(e!.rostered).toBe(3);
    expect(e!.surplus).toBe(3 - e!.agents);
    expect(e!.surplus).toBeLessThan(0);
    expect(l).not.toHaveProperty('rostered');
  });

  it('lists the hours that are offered calls but that no shift covers', () => {
    const plan = shiftPlan({
      groups: { ko: { arrivalsPerHour: dayProfile, ahtS: 240 } },
      target,
      shifts: [early],
    });
    expect(plan.uncovered.map((u) => u.hour)).toEqual([0, 1, 2, 3, 4, 5, ...hoursFrom(14, 10)]);
    const silentNights = dayProfile.map((n, h) => (h < 6 || h >= 14 ? 0 : n));
    const quiet = shiftPlan({
      groups: { ko: { arrivalsPerHour: silentNights, ahtS: 240 } },
      target,
      shifts: [early],
    });
    expect(quiet.uncovered).toEqual([]);
  });

  it('takes a night shift past midnight from the next day, Sunday night from Monday', () => {
    // Seven days, busy only at 02:00 on day 3; a second group keeps a flat daily profile.
    const week: number[][] = Array.from({ length: 7 }, (_, d) =>
      Array.from({ length: 24 }, (_, h) => (d === 3 && h === 2 ? 60 : 0)),
    );
    week[0]![3] = 30; // day 0 03:00: the night shift that starts on day 6 must see it
    const plan = shiftPlan({
      groups: {
        kvk: { arrivalsPerHour: week, ahtS: 351, patienceS: 120 },
        ko: { arrivalsPerHour: Array.from({ length: 24 }, () => 0), ahtS: 240 },
      },
      target,
      shifts: [night],
    });
    expect(plan.days).toBe(7);
    expect(plan.hours).toHaveLength(7 * 24);
    const busy = agentsNeeded({ ratePerHour: 60, ahtS: 351 }, target, { patienceS: 120 }).agents;
    const lighter = agentsNeeded({ ratePerHour: 30, ahtS: 351 }, target, { patienceS: 120 }).agents;
    expect(plan.shifts[0]!.byDay).toEqual([0, 0, busy, 0, 0, 0, lighter]);
    expect(plan.shifts[0]!.peak).toEqual({ day: 2, hour: 2 });
    expect(plan.shifts[0]!.agents).toBe(busy);
  });

  it('runs a weekly roster only on its days, each hour on its own day as the calendar reads it', () => {
    // Busy at 02:00 on day 5 (Friday) and at 02:00 on day 6 (Saturday).
    const week: number[][] = Array.from({ length: 7 }, (_, d) =>
      Array.from({ length: 24 }, (_, h) => (h === 2 && d === 5 ? 60 : h === 2 && d === 6 ? 30 : 0)),
    );
    // 22:00-06:00@fri: Friday 22..23 and Friday 00..05 (not Saturday's early hours).
    const friday = { name: 'fri-night', hours: hoursFrom(22, 8), days: [5] };
    const plan = shiftPlan({
      groups: { ko: { arrivalsPerHour: week, ahtS: 300 } },
      target,
      shifts: [friday],
    });
    const busy = agentsNeeded({ ratePerHour: 60, ahtS: 300 }, target, 'erlang-c').agents;
    expect(plan.shifts[0]).toMatchObject({
      agents: busy,
      peak: { day: 5, hour: 2 },
      byDay: [0, 0, 0, 0, 0, busy, 0],
    });
    // Saturday 02:00 has calls and no shift: uncovered.
    expect(plan.uncovered).toEqual([{ day: 6, hour: 2 }]);
    expect(() =>
      shiftPlan({
        groups: { ko: { arrivalsPerHour: week, ahtS: 300 } },
        target,
        shifts: [{ ...friday, days: [7] }],
      }),
    ).toThrow(/shifts\.0\.days\.0: days are 0\.\.6/);
  });

  it('never needs fewer agents on any shift when calls grow', () => {
    const plan = (scale: number) =>
      shiftPlan({
        groups: {
          ko: { arrivalsPerHour: dayProfile.map((n) => n * scale), ahtS: 240 },
          interpreted: { arrivalsPerHour: dayProfile.map((n) => (n * scale) / 4), ahtS: 600, patienceS: 90 },
        },
        target,
        shifts: [early, late, night],
      }).shifts.map((s) => s.agents);
    const needs = [0.5, 1, 1.5, 2, 3].map(plan);
    for (let i = 1; i < needs.length; i++) {
      needs[i]!.forEach((n, s) => expect(n).toBeGreaterThanOrEqual(needs[i - 1]![s]!));
    }
  });

  it('refuses bad input, naming the field', () => {
    const ok: ShiftPlanInput = {
      groups: { ko: { arrivalsPerHour: dayProfile, ahtS: 240 } },
      target,
      shifts: [early],
    };
    const refused = (input: unknown) => () => shiftPlan(input as ShiftPlanInput);
    expect(refused({ ...ok, groups: { ko: { arrivalsPerHour: dayProfile.slice(1), ahtS: 240 } } })).toThrow(
      /groups\.ko\.arrivalsPerHour: needs 24 numbers, one per hour/,
    );
    expect(refused({ ...ok, groups: { ko: { arrivalsPerHour: dayProfile, ahtS: 0 } } })).toThrow(
      /groups\.ko\.ahtS: average handle time must be > 0/,
    );
    expect(refused({ ...ok, groups: {} })).toThrow(/groups: needs at least one skill group/);
    expect(refused({ ...ok, shifts: [early, early] })).toThrow(/shifts: shift names must be unique/);
    expect(refused({ ...ok, shifts: [{ name: 'x', hours: [23, 24] }] })).toThrow(
      /shifts\.0\.hours\.1: hours are 0\.\.23/,
    );
    expect(refused({ ...ok, rostered: { evening: 4 } })).toThrow(/rostered\.evening: no shift has this name/);
    expect(refused({ ...ok, target: { serviceLevel: 80, thresholdS: 20 } })).toThrow(/target\.serviceLevel/);
    expect(
      refused({ ...ok, groups: { ko: { arrivalsPerHour: dayProfile, ahtS: 240, patienceS: -3 } } }),
    ).toThrow(ShiftPlanInputError);
  });
});
