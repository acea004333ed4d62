import { describe, expect, it } from 'vitest';
import { shiftPeriods } from '../../scripts/simulate/engine';
import { mulberry32 } from '../../scripts/simulate/random';
import type { Rand } from '../../scripts/simulate/random';
import { behaviourOf, DAY, HOUR, rosterOf, shiftAt, weeklyHours } from '../../scripts/simulate/scenario';
import { DEFAULT_SCENARIO_PATH, loadScenario } from '../../scripts/simulate/scenarioFile';
import type { Scenario } from '../../scripts/simulate/scenarioSchema';
import { parseScenario, ScenarioError } from '../../scripts/simulate/scenarioSchema';
import { withStaffing } from '../../scripts/simulate/staffing';

const base = loadScenario();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests spoil untyped JSON on purpose
type Json = Record<string, any>;

/** A deep copy to spoil one field of. */
const copy = (): Json => JSON.parse(JSON.stringify(base)) as Json;

function errorOf(data: unknown): string {
  try {
    parseScenario(data);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('expected the scenario to be refused');
}

/** Counts the draws a behaviour function takes. */
function counting(seed: number): { rand: Rand; draws: () => number } {
  const inner = mulberry32(seed);
  let n = 0;
  return {
    rand: () => {
      n++;
      return inner();
    },
    draws: () => n,
  };
}

describe('scenario files', () => {
  it('the default file is a valid scenario with 24 hourly rates and three shifts', () => {
    expect(DEFAULT_SCENARIO_PATH.endsWith('scenarios/default.json')).toBe(true);
    expect(base.arrivalsPerHour).toHaveLength(24);
    expect(base.shifts.map((s) => s.name)).toEqual(['late-night', 'day', 'night']);
  });

  it.each<[string, (s: Json) => void, string]>([
    ['23 hourly rates', (s) => s.arrivalsPerHour.pop(), 'scenario.arrivalsPerHour: expected 24 numbers'],
    ['a negative rate', (s) => (s.arrivalsPerHour[3] = -1), 'scenario.arrivalsPerHour[3]:'],
    [
      'a bad language tag',
      (s) => (s.shifts[1].agents[0].languages[1] = 'not a tag!'),
      'scenario.shifts[1].agents[0].languages[1]: not a valid BCP-47 language tag',
    ],
    [
      'a fractional head count',
      (s) => (s.shifts[0].agents[2].count = 2.5),
      'scenario.shifts[0].agents[2].count: expected a whole number',
    ],
    [
      'a period ending before it starts',
      (s) => (s.shifts[2].hours[0] = [20, 18]),
      'scenario.shifts[2].hours[0]:',
    ],
    [
      'a duplicate shift name',
      (s) => (s.shifts[2].name = 'day'),
      'scenario.shifts: shift names must be unique',
    ],
    ['a missing field', (s) => delete s.behaviour.patience, 'scenario.behaviour.patience:'],
    [
      'an unknown field',
      (s) => (s.behaviour.talk.audio = { medianS: 1, sigma: 0 }),
      'scenario.behaviour.talk:',
    ],
    [
      'a range upside down',
      (s) => (s.behaviour.wrapUpS = [60, 30]),
      'scenario.behaviour.wrapUpS: min must not exceed max',
    ],
    [
      'all weights zero',
      (s) => (s.behaviour.agent.weights = { accept: 0, decline: 0, miss: 0 }),
      'scenario.behaviour.agent.weights: at least one weight must be > 0',
    ],
    [
      'a probability above 1',
      (s) => (s.volunteers.onlineProbability = 1.5),
      'scenario.volunteers.onlineProbability:',
    ],
    [
      'a malformed block',
      (s) => (s.volunteers.blocks[0] = ['7pm', '22:00']),
      "scenario.volunteers.blocks[0][0]: expected 'HH:MM'",
    ],
  ])('refuses %s, naming the field', (_, spoil, message) => {
    const s = copy();
    spoil(s);
    expect(errorOf(s)).toContain(message);
  });

  it('lists every wrong field, not just the first', () => {
    const s = copy();
    s.arrivalsPerHour = 'lots';
    s.volunteers.pool.vi = -3;
    const message = errorOf(s);
    expect(message).toContain('scenario.arrivalsPerHour:');
    expect(message).toContain('scenario.volunteers.pool.vi:');
  });

  it('names the file when it is not JSON or cannot be read', () => {
    expect(() => loadScenario('/nonexistent.json')).toThrow(/cannot read scenario file \/nonexistent.json/);
    expect(() => loadScenario(new URL(import.meta.url).pathname)).toThrow(/is not valid JSON/);
  });
});

describe('behaviour from the scenario', () => {
  const b = behaviourOf(base.behaviour);

  it('takes two draws for every answer, so a miss or an ignore keeps the random stream in step', () => {
    for (let seed = 0; seed < 200; seed++) {
      const a = counting(seed);
      b.agentResponse(a.rand);
      expect(a.draws()).toBe(2);
      const v = counting(seed);
      b.volunteerResponse(v.rand);
      expect(v.draws()).toBe(2);
    }
  });

  it('keeps delays, talk and wrap-up within the ranges the file gives', () => {
    const rand = mulberry32(5);
    const { agent, talk, wrapUpS } = base.behaviour;
    for (let i = 0; i < 2000; i++) {
      const a = b.agentResponse(rand);
      const [lo, hi] = a.kind === 'decline' ? agent.declineAfterS : agent.acceptAfterS;
      expect(a.afterMs).toBeGreaterThanOrEqual(lo * 1000);
      expect(a.afterMs).toBeLessThanOrEqual(hi * 1000);
      expect(b.talkMs(rand, 'video')).toBeGreaterThanOrEqual(talk.minS * 1000);
      const w = b.wrapUpMs(rand);
      expect(w).toBeGreaterThanOrEqual(wrapUpS[0] * 1000);
      expect(w).toBeLessThanOrEqual(wrapUpS[1] * 1000);
    }
  });

  it('never offers text to a caller who was not given it as an option', () => {
    const rand = mulberry32(9);
    for (let i = 0; i < 500; i++)
      expect(b.fallback(rand, 'no-capacity', ['wait', 'callback'])).not.toBe('text');
  });

  it('draws 2–4 weekly blocks from the listed ones', () => {
    const rand = mulberry32(3);
    const listed = new Set(base.volunteers.blocks.map(([s, e]) => `${s}-${e}`));
    for (let i = 0; i < 300; i++) {
      const hours = weeklyHours(rand, base.volunteers);
      expect(hours.length).toBeGreaterThanOrEqual(2);
      expect(hours.length).toBeLessThanOrEqual(4);
      for (const h of hours) expect(listed.has(`${h.start}-${h.end}`)).toBe(true);
    }
  });
});

describe('staffing', () => {
  it('expands agent groups in order, one entry per agent', () => {
    const lateNight = base.shifts[0] as Scenario['shifts'][number];
    const roster = rosterOf(lateNight);
    expect(roster).toHaveLength(lateNight.agents.reduce((n, g) => n + g.count, 0));
    expect(roster[0]?.languages).toEqual(lateNight.agents[0]?.languages);
    expect(roster.at(-1)?.languages).toEqual(lateNight.agents.at(-1)?.languages);
  });

  it('finds the shift of an hour of the day from the scenario', () => {
    expect(shiftAt(base.shifts, 0)).toBe('late-night');
    expect(shiftAt(base.shifts, 8.99)).toBe('late-night');
    expect(shiftAt(base.shifts, 9)).toBe('day');
    expect(shiftAt(base.shifts, 18)).toBe('night');
    expect(shiftAt([], 3)).toBe('(no shift)');
  });

  it('repeats a shift every day, merging the drain after midnight with the next day', () => {
    const lateNight = base.shifts[0] as Scenario['shifts'][number];
    expect(shiftPeriods(lateNight, 1)).toEqual([
      [0, 9 * HOUR],
      [24 * HOUR, 33 * HOUR],
    ]);
    expect(shiftPeriods(lateNight, 3)).toEqual([
      [0, 9 * HOUR],
      [DAY, DAY + 9 * HOUR],
      [2 * DAY, 2 * DAY + 9 * HOUR],
      [3 * DAY, 3 * DAY + 9 * HOUR],
    ]);
    const touching = {
      name: 'x',
      hours: [[0, 12] as [number, number], [12, 24] as [number, number]],
      agents: [],
    };
    expect(shiftPeriods(touching, 2)).toEqual([[0, 2 * DAY]]);
  });

  it('resizes a shift by its last group, then cuts groups from the end', () => {
    const heads = (s: Scenario, name: string) =>
      s.shifts.find((x) => x.name === name)?.agents.map((g) => g.count) ?? [];
    const day = heads(base, 'day');
    const total = day.reduce((a, b) => a + b, 0);
    const more = withStaffing(base, { day: total + 10 });
    expect(heads(more, 'day')).toEqual([...day.slice(0, -1), (day.at(-1) as number) + 10]);
    expect(heads(more, 'night')).toEqual(heads(base, 'night'));
    const fewer = heads(withStaffing(base, { day: 10 }), 'day');
    expect(fewer.reduce((a, b) => a + b, 0)).toBe(10);
    expect(fewer[0]).toBe(Math.min(10, day[0] as number));
    expect(heads(withStaffing(base, { night: [{ languages: ['ko'], count: 3 }] }), 'night')).toEqual([3]);
    expect(heads(base, 'day')).toEqual(day); // the original is left alone
  });

  it('refuses a shift the scenario does not have, or a bad head count', () => {
    expect(() => withStaffing(base, { evening: 3 })).toThrow(/no shift 'evening'/);
    expect(() => withStaffing(base, { day: -1 })).toThrow(/whole number >= 0/);
  });
});
