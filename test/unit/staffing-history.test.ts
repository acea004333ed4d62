import { describe, expect, it } from 'vitest';
import { DEFAULT_SHIFTS } from '../../server/src/lobby';
import type { CallRecord } from '../../server/src/store';
import { parseStaffingArgs } from '../../server/src/staffing/cliArgs';
import {
  historyWindow,
  rosteredByShift,
  shiftHours,
  staffingFromHistory,
  WEEK_MS,
} from '../../server/src/staffing/history';
import { staffingReport } from '../../server/src/staffing/report';
import { local, MIN, S } from '../helpers/seoulWeek';

const target = { serviceLevel: 0.8, thresholdS: 20 };
const { from, to } = historyWindow(local(2, 0, 0), 2);

let seq = 0;
function record(fields: Partial<CallRecord> & Pick<CallRecord, 'callerLanguage' | 'startedAt'>): CallRecord {
  return {
    id: `call-${++seq}`,
    answeredAt: null,
    endedAt: null,
    mode: 'video',
    agentId: null,
    interpreterId: null,
    outcome: null,
    waitedMs: null,
    category: null,
    resolved: null,
    wrapNote: null,
    rating: null,
    ...fields,
  };
}

/** Answered after `waitS`, talked `talkS`, completed. */
function completed(language: string, at: number, waitS: number, talkS: number): CallRecord {
  return record({
    callerLanguage: language,
    startedAt: at,
    answeredAt: at + waitS * S,
    endedAt: at + (waitS + talkS) * S,
    outcome: 'completed',
    waitedMs: waitS * S,
  });
}

function abandoned(language: string, at: number, waitS: number): CallRecord {
  return record({
    callerLanguage: language,
    startedAt: at,
    endedAt: at + waitS * S,
    outcome: 'abandoned',
    waitedMs: waitS * S,
  });
}

const records: CallRecord[] = [
  // ko, Monday 10:00–10:59 (Seoul): three calls in week 0, two in week 1 (one still open).
  completed('ko', local(0, 1, 10, 0), 10, 300),
  completed('ko', local(0, 1, 10, 20), 30, 400),
  abandoned('ko', local(0, 1, 10, 40), 60),
  completed('ko', local(1, 1, 10, 5), 20, 500),
  record({ callerLanguage: 'ko', startedAt: local(1, 1, 10, 50) }),
  // kvk, Tuesday 14:00 of week 1: answered at once, 600 s.
  completed('kvk', local(1, 2, 14, 0), 0, 600),
  // Interpreted, Saturday 23:00–23:59: vi hung up after 90 s; en cut by the service unanswered.
  abandoned('vi', local(0, 6, 23, 30), 90),
  record({
    callerLanguage: 'en',
    startedAt: local(1, 6, 23, 10),
    endedAt: local(1, 6, 23, 12),
    outcome: 'failed',
  }),
  // Outside the window: before it, and at its end (exclusive).
  completed('ko', from - 1, 5, 100),
  completed('ko', to, 5, 100),
];

const accounts = [
  { role: 'agent' as const, disabled: false, shift: 'day' },
  { role: 'agent' as const, disabled: false, shift: 'day' },
  { role: 'agent' as const, disabled: true, shift: 'day' },
  { role: 'agent' as const, disabled: false, shift: 'night' },
  { role: 'agent' as const, disabled: false, shift: 'weekend' }, // no such shift in the calendar
  { role: 'agent' as const, disabled: false, shift: null },
  { role: 'supervisor' as const, disabled: false, shift: null },
];

/** What `npm run staffing -- …` prints as the agents needed, per model. */
function cli(args: string[]): { erlangC: number; erlangA: number | null } {
  const command = parseStaffingArgs([...args, '--target', '80/20']);
  if (command.kind !== 'plan') throw new Error('expected a plan');
  const text = staffingReport(command);
  const agents = (model: string) => {
    const m = new RegExp(`^${model}[^:]*: (\\d+) agents$`, 'm').exec(text);
    return m === null ? null : Number(m[1]);
  };
  return { erlangC: agents('Erlang C')!, erlangA: agents('Erlang A') };
}

/** The history of these two weeks in Seoul, on the default shift calendar. */
const staffing = (calls: CallRecord[], staff: typeof accounts = []) =>
  staffingFromHistory({
    records: calls,
    from,
    to,
    weeks: 2,
    target,
    timeZone: 'Asia/Seoul',
    shifts: DEFAULT_SHIFTS,
    accounts: staff,
  });

describe('staffingFromHistory', () => {
  const result = staffing(records, accounts);
  const hour = (weekday: number, h: number) =>
    result.hours.find((x) => x.weekday === weekday && x.hour === h)!;

  it('echoes the window and the target', () => {
    expect(result).toMatchObject({ from, to, weeks: 2, target: { share: 0.8, seconds: 20 } });
    expect(to - from).toBe(2 * WEEK_MS);
  });

  it('counts arrivals by weekday and hour of the centre’s zone, as a mean per week', () => {
    expect(result.hours).toHaveLength(168);
    expect(result.hours.map((h) => h.weekday * 24 + h.hour)).toEqual([...Array(168).keys()]);
    // Monday 10:00 Seoul is Monday 01:00 UTC: 5 ko calls over 2 weeks.
    expect(hour(1, 10).arrivalsPerHour).toBe(2.5);
    expect(hour(2, 14).arrivalsPerHour).toBe(0.5);
    expect(hour(6, 23).arrivalsPerHour).toBe(1);
    expect(hour(1, 1).arrivalsPerHour).toBe(0);
    // Eight calls in the window, two weeks: four a week.
    expect(result.hours.reduce((n, h) => n + h.arrivalsPerHour, 0)).toBe(4);
  });

  it('gives each skill group its calls, handle time (answered → ended) and fitted patience', () => {
    expect(result.groups).toEqual([
      // Completed: 300, 400, 500 s. Waits 10 + 30 + 20 s answered, 60 s hung up: 120 s over one hang-up.
      { key: 'ko', calls: 5, ahtS: 400, patienceS: 120 },
      // Nobody hung up: no patience to fit.
      { key: 'kvk', calls: 1, ahtS: 600, patienceS: null },
      // Nobody handled; the failed call says nothing of patience: 90 s over one hang-up.
      { key: 'interpreted', calls: 2, ahtS: null, patienceS: 90 },
    ]);
  });

  it('needs per hour and per shift what `npm run staffing` says for the same load', () => {
    const ko = cli(['--rate', '2.5', '--aht', '400', '--patience', '120']);
    const kvk = cli(['--rate', '0.5', '--aht', '600']);
    // The interpreted group handled nothing: it takes the handle time of all groups, (300+400+500+600)/4.
    const interpreted = cli(['--rate', '1', '--aht', '450', '--patience', '90']);
    expect(hour(1, 10)).toMatchObject({ erlangC: ko.erlangC, erlangA: ko.erlangA });
    // kvk has no patience: Erlang C in both plans.
    expect(hour(2, 14)).toMatchObject({ erlangC: kvk.erlangC, erlangA: kvk.erlangC });
    expect(hour(6, 23)).toMatchObject({ erlangC: interpreted.erlangC, erlangA: interpreted.erlangA });
    expect(hour(0, 3)).toMatchObject({ erlangC: 0, erlangA: 0 });

    const dayA = Math.max(ko.erlangA!, kvk.erlangC);
    expect(result.shifts).toEqual([
      {
        shift: 'day',
        needed: dayA,
        erlangC: Math.max(ko.erlangC, kvk.erlangC),
        erlangA: dayA,
        rostered: 2,
      },
      {
        shift: 'night',
        needed: interpreted.erlangA,
        erlangC: interpreted.erlangC,
        erlangA: interpreted.erlangA,
        rostered: 1,
      },
      { shift: 'late-night', needed: 0, erlangC: 0, erlangA: 0, rostered: 0 },
    ]);
  });

  it('needs fewer agents by Erlang A than by Erlang C in a busy hour where callers hang up', () => {
    // Wednesday 11:00, each of two weeks: 50 answered after 10 s (351 s each), 10 hung up after 30 s.
    const busy = [0, 1].flatMap((week) =>
      Array.from({ length: 60 }, (_, i) => {
        const at = local(week, 3, 11) + i * MIN;
        return i < 50 ? completed('kvk', at, 10, 351) : abandoned('kvk', at, 30);
      }),
    );
    const plan = staffing(busy);
    // Patience: (100 × 10 s + 20 × 30 s) waited over 20 hang-ups = 80 s.
    expect(plan.groups[1]).toEqual({ key: 'kvk', calls: 120, ahtS: 351, patienceS: 80 });
    const kvk = cli(['--rate', '60', '--aht', '351', '--patience', '80']);
    expect(kvk.erlangA).toBeLessThan(kvk.erlangC);
    expect(plan.shifts[0]).toEqual({
      shift: 'day',
      needed: kvk.erlangA,
      erlangC: kvk.erlangC,
      erlangA: kvk.erlangA,
      rostered: 0,
    });
  });

  it('plans by Erlang C alone when nobody hung up', () => {
    const calm = staffing([completed('ko', local(0, 3, 9, 0), 5, 240)]);
    const ko = cli(['--rate', '0.5', '--aht', '240']);
    expect(calm.hours.every((h) => h.erlangA === null)).toBe(true);
    expect(calm.shifts[0]).toEqual({
      shift: 'day',
      needed: ko.erlangC,
      erlangC: ko.erlangC,
      erlangA: null,
      rostered: 0,
    });
  });
});

describe('shiftHours', () => {
  it('covers every hour a shift touches, past midnight and on its roster days', () => {
    expect(shiftHours({ name: 'day', start: '09:00', end: '18:00' })).toEqual({
      name: 'day',
      hours: [9, 10, 11, 12, 13, 14, 15, 16, 17],
    });
    expect(shiftHours({ name: 'n', start: '22:00', end: '06:00' }).hours).toEqual([22, 23, 0, 1, 2, 3, 4, 5]);
    expect(shiftHours({ name: 'all', start: '00:00', end: '24:00' }).hours).toEqual([...Array(24).keys()]);
    expect(shiftHours({ name: 'w', start: '09:30', end: '12:15', days: [0, 6] })).toEqual({
      name: 'w',
      hours: [9, 10, 11, 12],
      days: [0, 6],
    });
  });
});

describe('rosteredByShift', () => {
  it('counts enabled agents per calendar shift', () => {
    expect(rosteredByShift(accounts, DEFAULT_SHIFTS)).toEqual({ day: 2, night: 1, 'late-night': 0 });
  });
});
