// Each figure of docs/metrics.md on small hand-made histories: records and events as the store
// would return them, folded and counted by the pure figures module.
import { describe, expect, it } from 'vitest';
import { CentreCalendar } from '../../../server/src/figures/calendar';
import { summarizeAll } from '../../../server/src/figures/callSummary';
import { computeFigures, groupFigures, NO_SHIFT } from '../../../server/src/figures/figures';
import { DEFAULT_SHIFTS } from '../../../server/src/lobby';
import type { CallRecord } from '../../../server/src/store/calls';
import type { CallEvent, StoredCallEvent } from '../../../server/src/store/callEvents';

const calendar = new CentreCalendar(
  'Asia/Seoul',
  DEFAULT_SHIFTS.map((s) => ({ ...s })),
);
// Monday 2025-03-03 10:00 in Seoul (UTC+9).
const T0 = Date.UTC(2025, 2, 3, 1, 0, 0);
const S = 1000;

interface Call {
  record: CallRecord;
  events: StoredCallEvent[];
}

/** A call that arrived at `at` (ms after T0), with the record fields and events given. */
function call(
  id: string,
  at: number,
  fields: Partial<CallRecord>,
  events: Array<[number, CallEvent]> = [],
): Call {
  const startedAt = T0 + at;
  return {
    record: {
      id,
      startedAt,
      answeredAt: null,
      endedAt: null,
      callerLanguage: 'ko',
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
    },
    events: events.map(([dt, e]) => ({ ...e, callId: id, at: startedAt + dt })),
  };
}

function answeredCall(
  id: string,
  at: number,
  waitMs: number,
  talkMs: number,
  extra: Partial<CallRecord> = {},
  events: Array<[number, CallEvent]> = [],
) {
  return call(
    id,
    at,
    {
      answeredAt: T0 + at + waitMs,
      endedAt: T0 + at + waitMs + talkMs,
      agentId: 'agent-a',
      outcome: 'completed',
      waitedMs: waitMs,
      ...extra,
    },
    [[waitMs, { type: 'answered', agentId: extra.agentId ?? 'agent-a', waitedMs: waitMs }], ...events],
  );
}

function abandonedCall(id: string, at: number, waitMs: number, extra: Partial<CallRecord> = {}) {
  return call(id, at, { endedAt: T0 + at + waitMs, outcome: 'abandoned', waitedMs: waitMs, ...extra }, [
    [waitMs, { type: 'abandoned', waitedMs: waitMs, reason: 'cancelled' }],
  ]);
}

function figuresOf(calls: Call[], thresholds = [20, 120]) {
  const summaries = summarizeAll(
    { records: calls.map((c) => c.record), events: calls.flatMap((c) => c.events) },
    (at) => calendar.arrival(at),
  );
  return groupFigures(summaries, thresholds);
}

describe('service level, speed of answer and abandonment', () => {
  const calls = [
    answeredCall('a', 0, 10 * S, 60 * S),
    answeredCall('b', 0, 20 * S, 60 * S),
    answeredCall('c', 0, 90 * S, 60 * S),
    abandonedCall('d', 0, 40 * S),
    abandonedCall('e', 0, 3 * S), // short: out of service level and abandonment, counted apart
    call('f', 0, {}), // still waiting: arrived, counts nowhere else
  ];
  const f = figuresOf(calls);

  it('counts calls, offered, answered, abandoned and short abandons', () => {
    expect(f).toMatchObject({ calls: 6, offered: 4, answered: 3, abandoned: 1, shortAbandoned: 1 });
  });
  it('service level within each threshold over answered + abandoned (a wait equal to T is within)', () => {
    expect(f.serviceLevel).toEqual({ '20': { value: 2 / 4, n: 4 }, '120': { value: 3 / 4, n: 4 } });
  });
  it('speed of answer over answered calls, abandonment over offered', () => {
    expect(f.asaMs).toEqual({ value: ((10 + 20 + 90) * S) / 3, n: 3 });
    expect(f.abandonmentRate).toEqual({ value: 1 / 4, n: 4 });
  });
  it('says null, not 0, with nothing to count', () => {
    const none = figuresOf([call('x', 0, {})]);
    expect(none.serviceLevel['20']).toEqual({ value: null, n: 0 });
    expect(none.asaMs).toEqual({ value: null, n: 0 });
    expect(none.estimateError).toEqual({ biasMs: null, meanAbsMs: null, n: 0 });
  });
  it('an answered caller who never came to the call is answered, not abandoned', () => {
    const noShow = answeredCall('n', 0, 8 * S, 0, { outcome: 'abandoned' });
    expect(figuresOf([noShow])).toMatchObject({ answered: 1, abandoned: 0, offered: 1 });
    // ... and has no handle time: no call took place.
    expect(figuresOf([noShow]).ahtMs).toEqual({ value: null, n: 0 });
  });
});

describe('fallbacks, offers, interpreters and the estimate', () => {
  it('keep-my-place and text rates over callers offered a fallback', () => {
    const offered: CallEvent = {
      type: 'fallback-offered',
      options: ['wait', 'text', 'callback'],
      reason: 'long-wait',
    };
    const f = figuresOf([
      call('a', 0, {}, [
        [180 * S, offered],
        [181 * S, { type: 'fallback-chosen', choice: 'callback' }],
      ]),
      call('b', 0, {}, [
        [180 * S, offered],
        [181 * S, { type: 'fallback-chosen', choice: 'text' }],
      ]),
      call('c', 0, {}, [
        [180 * S, offered],
        [181 * S, { type: 'fallback-chosen', choice: 'wait' }],
      ]),
      call('d', 0, {}, [[180 * S, offered]]),
      call('e', 0, {}),
    ]);
    expect(f.keepPlaceRate).toEqual({ value: 1 / 4, n: 4 });
    expect(f.textFallbackRate).toEqual({ value: 1 / 4, n: 4 });
  });

  it('offer non-response: offers missed or declined over offers made', () => {
    const f = figuresOf([
      answeredCall('a', 0, 30 * S, 60 * S, {}, [
        [0, { type: 'offered', agentId: 'x', offerId: 'o1' }],
        [12 * S, { type: 'offer-missed', agentId: 'x', offerId: 'o1' }],
        [12 * S, { type: 'offered', agentId: 'y', offerId: 'o2' }],
        [14 * S, { type: 'offer-declined', agentId: 'y', offerId: 'o2' }],
        [14 * S, { type: 'offered', agentId: 'agent-a', offerId: 'o3' }],
      ]),
    ]);
    expect(f.offerNonResponseRate).toEqual({ value: 2 / 3, n: 3 });
  });

  it('interpreter fill rate and time to join, from the first invitation', () => {
    const invited = (dt: number, v: string): [number, CallEvent] => [
      dt,
      { type: 'interpreter-invited', volunteerId: v, invitationId: `i-${v}-${dt}` },
    ];
    const f = figuresOf([
      answeredCall('a', 0, 10 * S, 60 * S, { callerLanguage: 'vi' }, [
        invited(10 * S, 'v1'),
        [40 * S, { type: 'invitation-expired', volunteerId: 'v1', invitationId: 'i' }],
        invited(40 * S, 'v2'),
        [55 * S, { type: 'interpreter-joined', volunteerId: 'v2' }],
      ]),
      answeredCall('b', 0, 10 * S, 60 * S, { callerLanguage: 'vi' }, [invited(10 * S, 'v3')]),
      answeredCall('c', 0, 10 * S, 60 * S), // two-way: not bridged
    ]);
    expect(f.interpreterFillRate).toEqual({ value: 1 / 2, n: 2 });
    expect(f.interpreterJoinMs).toEqual({ value: 45 * S, n: 1 });
  });

  it('estimate error: first shown estimate minus actual wait, answered calls that stayed on the line only', () => {
    const queued = (estimateMs: number | null): [number, CallEvent] => [
      0,
      { type: 'queued', language: 'ko', mode: 'video', shift: 'day', hour: 10, weekday: 1, estimateMs },
    ];
    const f = figuresOf([
      answeredCall('a', 0, 30 * S, 60 * S, {}, [queued(60 * S)]), // +30 s
      answeredCall('b', 0, 90 * S, 60 * S, {}, [queued(30 * S)]), // -60 s
      answeredCall('c', 0, 90 * S, 60 * S, {}, [queued(null)]), // no estimate shown
      { ...abandonedCall('d', 0, 50 * S), events: [{ ...queued(10 * S)[1], callId: 'd', at: T0 }] },
      // Left the video line the estimate was about: to text chat, or to be called back.
      ...(['text', 'callback'] as const).map((choice) =>
        answeredCall(choice, 0, 200 * S, 60 * S, {}, [
          queued(30 * S),
          [100 * S, { type: 'fallback-chosen', choice }],
        ]),
      ),
      // Kept waiting after a fallback was offered: still on the line it was told about.
      answeredCall('kept', 0, 90 * S, 60 * S, {}, [
        queued(90 * S),
        [60 * S, { type: 'fallback-chosen', choice: 'wait' }],
      ]),
    ]);
    expect(f.estimateError).toEqual({ biasMs: -10 * S, meanAbsMs: 30 * S, n: 3 });
  });
});

describe('resolution, satisfaction and handle time', () => {
  const wrapped = (dt: number, resolved: boolean): [number, CallEvent] => [
    dt,
    { type: 'wrapped-up', resolved, category: null },
  ];
  const calls = [
    answeredCall('a', 0, 10 * S, 100 * S, { resolved: true, rating: 5 }, [wrapped(140 * S, true)]),
    answeredCall('b', 0, 10 * S, 200 * S, { resolved: false, rating: 2 }, [wrapped(210 * S, false)]),
    answeredCall('c', 0, 10 * S, 300 * S, { resolved: true, rating: 4 }),
    answeredCall('d', 0, 10 * S, 60 * S),
  ];
  const f = figuresOf(calls);

  it('first contact resolution over wrapped-up calls', () => {
    expect(f.firstContactResolution).toEqual({ value: 2 / 3, n: 3 });
  });
  it('satisfaction: 4 or 5 over rated; survey response: rated over answered', () => {
    expect(f.satisfaction).toEqual({ value: 2 / 3, n: 3 });
    expect(f.surveyResponse).toEqual({ value: 3 / 4, n: 4 });
  });
  it('handle time: talk plus the wrap-up time when it is known', () => {
    // a: 100 + 30 s of wrap-up; b: 200 + 0; c: 300 (wrap-up time unknown); d: 60.
    expect(f.ahtMs).toEqual({ value: ((130 + 200 + 300 + 60) * S) / 4, n: 4 });
  });
});

describe('groups', () => {
  it('by the shift, hour and weekday of arrival in Seoul, also when answered in the next shift', () => {
    // 17:59:50 Monday in Seoul, answered 15 s later (18:00:05, the night shift): counts for day.
    const late = answeredCall('late', 7 * 3600 * S + 59 * 60 * S + 50 * S, 15 * S, 60 * S);
    const night = answeredCall('night', 8 * 3600 * S, 5 * S, 60 * S);
    const summaries = summarizeAll(
      { records: [late.record, night.record], events: [...late.events, ...night.events] },
      (at) => calendar.arrival(at),
    );
    const byShift = computeFigures(summaries, 'shift', [20]);
    expect(byShift.groups.map((g) => [g.key, g.figures.calls])).toEqual([
      ['day', 1],
      ['night', 1],
    ]);
    expect(computeFigures(summaries, 'hour', [20]).groups.map((g) => g.key)).toEqual(['17', '18']);
    expect(computeFigures(summaries, 'weekday', [20]).groups.map((g) => g.key)).toEqual(['1']);
    expect(byShift.total.calls).toBe(2);
  });

  it('by the shift logged at arrival over the calendar of today, and a call outside every shift apart', () => {
    const logged = answeredCall('x', 0, 5 * S, 60 * S, {}, [
      [
        0,
        {
          type: 'queued',
          language: 'ko',
          mode: 'video',
          shift: 'old-shift',
          hour: 10,
          weekday: 1,
          estimateMs: null,
        },
      ],
    ]);
    const partial = new CentreCalendar('Asia/Seoul', [{ name: 'day', start: '09:00', end: '18:00' }]);
    const outside = answeredCall('y', 12 * 3600 * S, 5 * S, 60 * S); // 22:00
    const summaries = summarizeAll(
      { records: [logged.record, outside.record], events: [...logged.events, ...outside.events] },
      (at) => partial.arrival(at),
    );
    expect(computeFigures(summaries, 'shift', [20]).groups.map((g) => g.key)).toEqual([
      NO_SHIFT,
      'old-shift',
    ]);
  });

  it('by answering agent (unanswered calls in none), language and mode', () => {
    const calls = [
      answeredCall('a', 0, 5 * S, 60 * S, { agentId: 'kim', callerLanguage: 'kvk' }),
      answeredCall('b', 0, 5 * S, 60 * S, { agentId: 'lee', callerLanguage: 'ko', mode: 'text' }),
      abandonedCall('c', 0, 30 * S, { callerLanguage: 'kvk' }),
    ];
    const summaries = summarizeAll(
      { records: calls.map((c) => c.record), events: calls.flatMap((c) => c.events) },
      (at) => calendar.arrival(at),
    );
    expect(computeFigures(summaries, 'agent', [20]).groups.map((g) => [g.key, g.figures.calls])).toEqual([
      ['kim', 1],
      ['lee', 1],
    ]);
    const byLanguage = computeFigures(summaries, 'language', [20]).groups;
    expect(byLanguage.map((g) => [g.key, g.figures.offered, g.figures.abandoned])).toEqual([
      ['ko', 1, 0],
      ['kvk', 2, 1],
    ]);
    expect(computeFigures(summaries, 'mode', [20]).groups.map((g) => g.key)).toEqual(['text', 'video']);
    expect(computeFigures(summaries, 'none', [20]).groups).toEqual([]);
  });
});

describe('the centre calendar', () => {
  it('finds local midnight and the days before it in Seoul', () => {
    const midnight = Date.UTC(2025, 2, 2, 15, 0, 0); // Monday 00:00 in Seoul
    expect(calendar.startOfDay(T0)).toBe(midnight);
    expect(calendar.startOfDay(midnight)).toBe(midnight);
    expect(calendar.daysBefore(T0, 6)).toBe(midnight - 6 * 86_400_000);
  });
  it('keeps days whole across a daylight-saving change', () => {
    const paris = new CentreCalendar('Europe/Paris', [{ name: 'all', start: '00:00', end: '24:00' }]);
    // Sunday 2025-03-30 is 23 h long in Paris; noon on Monday 31st.
    const monday = Date.UTC(2025, 2, 31, 10, 0, 0);
    expect(paris.startOfDay(monday)).toBe(Date.UTC(2025, 2, 30, 22, 0, 0));
    expect(paris.daysBefore(monday, 1)).toBe(Date.UTC(2025, 2, 29, 23, 0, 0));
  });
});
