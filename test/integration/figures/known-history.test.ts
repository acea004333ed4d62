// A known Monday at the centre, made through the real lobby, desks and sockets on a fake clock
// (Asia/Seoul, the default shifts day 09–18, night 18–24, late-night 00–09), then read back through
// GET /api/supervisor/figures and compared, figure by figure, per shift and per language, with
// values worked out by hand below. Once on SQLite and once on PostgreSQL (where the record writes,
// events included, go through the buffered writer and its journal).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { InvitationView, OfferView, QueueView } from '../../../common/protocol';
import { SESSION_COOKIE } from '../../../server/src/auth/AuthSessions';
import type { FiguresResponse } from '../../../server/src/http/figuresRoutes';
import { openStore, type Store } from '../../../server/src/store';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { createDatabase, dropDatabase } from '../../helpers/postgres';
import { connect, ok, startTestApp, type TestApp, type TestSocket } from '../../helpers/testApp';
import { until } from '../../helpers/waiting';

const S = 1000;
/** Monday 3 March 2025, hh:mm:ss in Seoul (UTC+9), as ms since epoch; 24:00:10 is Tuesday 00:00:10. */
const seoul = (h: number, m: number, s = 0) => Date.UTC(2025, 2, 3, h - 9, m, s);

describe.each(['sqlite', 'postgres'] as const)('figures of a known day (%s)', (engine) => {
  const scheduler = new FakeScheduler(seoul(16, 0));
  let app: TestApp;
  let databaseUrl: string | undefined;
  let store: Store;
  let dir: string;
  let supervisor: string;
  const sockets: TestSocket[] = [];
  /** The first estimate each call's caller was shown, by call letter. */
  const shown: Record<string, number | null> = {};

  const at = (time: number) => {
    expect(time).toBeGreaterThanOrEqual(scheduler.now());
    scheduler.advance(time - scheduler.now());
  };
  const track = (s: TestSocket) => (sockets.push(s), s);

  async function queue(letter: string, language: string): Promise<TestSocket> {
    const caller = track(await connect(app, '/caller'));
    const view = ok(await caller.request<QueueView>('lobby:request', { language, mode: 'video' }));
    shown[letter] = view.estimatedWaitMs;
    return caller;
  }

  /** The agent goes available, takes the offer (after letting `missed` offers run out) and both join. */
  async function answer(agent: TestSocket, caller: TestSocket, missed = 0): Promise<void> {
    let offered = agent.next<OfferView>('agent:offer');
    ok(await agent.request('agent:set-presence', { presence: 'available' }));
    for (let i = 0; i < missed; i++) {
      await offered;
      offered = agent.next<OfferView>('agent:offer');
      scheduler.advance(12 * S); // OFFER_TIMEOUT_MS: the offer runs out, the caller is offered again
    }
    await take(agent, caller, (await offered).offerId);
  }

  /** The agent accepts the offer and both join the call. */
  async function take(agent: TestSocket, caller: TestSocket, offerId: string): Promise<void> {
    const matched = caller.next<{ token: string }>('lobby:matched');
    const { token } = ok(await agent.request<{ token: string }>('agent:accept-offer', { offerId }));
    ok(await agent.request('session:join', { token }));
    ok(await caller.request('session:join', { token: (await matched).token }));
  }

  /** Someone hangs up; the agent wraps up at `wrapAt`; the caller rates the call. */
  async function finish(
    agent: TestSocket,
    caller: TestSocket,
    hangsUp: TestSocket,
    wrapAt: number,
    resolved: boolean,
    rating: number,
  ): Promise<void> {
    const survey = caller.next<{ surveyKey: string }>('call:survey');
    ok(await hangsUp.request('session:hangup'));
    const { surveyKey } = await survey;
    at(wrapAt);
    ok(await agent.request('agent:wrap-up', { resolved, category: 'welfare' }));
    ok(await agent.request('agent:set-presence', { presence: 'away', reason: 'break' }));
    ok(await caller.request('call:rate', { surveyKey, rating }));
  }

  beforeAll(async () => {
    const env: Record<string, string> = {};
    if (engine === 'postgres') {
      databaseUrl = await createDatabase(inject('postgresUrl'));
      env['DATABASE_URL'] = databaseUrl;
    }
    // The store's timestamps on the same fake clock as everything else.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-figures-'));
    const clock = scheduler.now;
    store = await openStore(
      databaseUrl ? { url: databaseUrl, clock } : { path: path.join(dir, 'relay.sqlite'), clock },
    );
    app = await startTestApp(env, { scheduler, store });
    const lee = await app.store.accounts.create({
      username: 'lee',
      displayName: 'Lee Supervisor',
      role: 'supervisor',
      languages: ['ko'],
      password: 'correct horse battery staple',
    });
    supervisor = `${SESSION_COOKIE}=${await app.auth.create({ accountId: lee.id, role: 'supervisor' })}`;

    const kim = track(await connect(app, '/agent', (await app.addAgent('kim', ['ko'])).cookie));
    ok(await kim.request('agent:set-presence', { presence: 'away', reason: 'meeting' }));
    const volunteer = track(
      await connect(app, '/volunteer', (await app.addVolunteer('vol', ['vi', 'ko'])).cookie),
    );
    ok(await volunteer.request('volunteer:set-presence', { presence: 'available' }));

    // No agent is online when A to D arrive: each is offered a fallback at once (E is not: the
    // agent is in a call then).
    // A: kvk, 17:00:00, keeps their place (callback), hangs up after 40 s (day shift, hour 17).
    at(seoul(17, 0));
    const a = await queue('A', 'kvk');
    ok(await a.request('lobby:choose-fallback', { choice: 'callback' }));
    at(seoul(17, 0, 40));
    ok(await a.request('lobby:cancel'));
    // B: kvk, 17:10:00, switches to text and hangs up after 3 s: a short abandon.
    at(seoul(17, 10));
    const b = await queue('B', 'kvk');
    ok(await b.request('lobby:choose-fallback', { choice: 'text' }));
    at(seoul(17, 10, 3));
    ok(await b.request('lobby:cancel'));

    // C: ko, 17:59:50, answered 15 s later in the night shift (it counts for day); the agent hangs
    // up after 60 s, wraps up 30 s later (resolved); rated 5.
    at(seoul(17, 59, 50));
    const c = await queue('C', 'ko');
    at(seoul(18, 0, 5));
    await answer(kim, c);
    at(seoul(18, 1, 5));
    await finish(kim, c, kim, seoul(18, 1, 35), true, 5);

    // D: vi, 23:58:00 (night, hour 23): the first offer runs out (missed), the second is taken at
    // 23:58:15; the volunteer joins 10 s after being invited.
    at(seoul(23, 58));
    const d = await queue('D', 'vi');
    at(seoul(23, 58, 3));
    const invited = volunteer.next<InvitationView>('volunteer:invitation');
    await answer(kim, d, 1);
    expect(scheduler.now()).toBe(seoul(23, 58, 15));
    const invitation = await invited;
    at(seoul(23, 58, 25));
    const { token } = ok(
      await volunteer.request<{ token: string }>('volunteer:accept-invitation', {
        invitationId: invitation.invitationId,
      }),
    );
    ok(await volunteer.request('session:join', { token }));

    // E: ko, 23:59:30 Monday (night, hour 23), while the only agent is in D's call: shown an
    // estimate. D's caller hangs up at 00:00:00 Tuesday (105 s of talk); the agent wraps D up at
    // 00:00:10 (not resolved) and is offered E at once: E waited 40 s, across midnight.
    at(seoul(23, 59, 30));
    const e = await queue('E', 'ko');
    at(seoul(24, 0));
    const surveyD = d.next<{ surveyKey: string }>('call:survey');
    ok(await d.request('session:hangup'));
    at(seoul(24, 0, 10));
    const offeredE = kim.next<OfferView>('agent:offer');
    ok(await kim.request('agent:wrap-up', { resolved: false, category: 'welfare' }));
    ok(await d.request('call:rate', { surveyKey: (await surveyD).surveyKey, rating: 4 }));
    await take(kim, e, (await offeredE).offerId);
    // The agent hangs up E after 120 s, wraps up 20 s later (resolved); rated 2.
    at(seoul(24, 2, 10));
    await finish(kim, e, kim, seoul(24, 2, 30), true, 2);

    // Every write is in the store (the events are written beside the calls, not awaited by them).
    // On PostgreSQL a write still in flight when the fake clock jumps counts as timed out and
    // goes to the record journal, whose replay waits on the same clock: move it on until it is empty.
    await until(async () => {
      if ((app.records?.stats.pending ?? 0) > 0) scheduler.advance(5 * S);
      const { records, events } = await app.store.history.range(seoul(0, 0), seoul(24, 3));
      return (
        records.filter((r) => r.rating !== null).length === 3 &&
        events.filter((x) => x.type === 'rated').length === 3
      );
    });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await app?.stop();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), databaseUrl);
  });

  async function figures(groupBy: string): Promise<FiguresResponse> {
    const res = await fetch(
      `${app.url}/api/supervisor/figures?from=${seoul(0, 0)}&to=${seoul(24, 0)}&groupBy=${groupBy}`,
      { headers: { cookie: supervisor } },
    );
    expect(res.status).toBe(200);
    return (await res.json()) as FiguresResponse;
  }

  const r = (numerator: number, n: number) => ({ value: n === 0 ? null : numerator / n, n });
  const m = (values: number[]) => ({
    value: values.length === 0 ? null : values.reduce((x, y) => x + y, 0) / values.length,
    n: values.length,
  });
  /** Shown estimate − actual wait, over the answered calls shown one. */
  const estimateError = (waits: Record<string, number>) => {
    const errors = Object.entries(waits).flatMap(([call, wait]) => {
      const estimate = shown[call];
      return estimate === null || estimate === undefined ? [] : [estimate - wait];
    });
    const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((x, y) => x + y, 0) / xs.length);
    return { biasMs: mean(errors), meanAbsMs: mean(errors.map(Math.abs)), n: errors.length };
  };

  // By hand. A to D were offered a fallback; A kept their place, B chose text.
  // Waits: C 15 s, D 15 s, E 40 s. Handle times (talk + wrap-up): C 60+30, D 105+10, E 120+20.
  const day = () => ({
    calls: 3,
    offered: 2,
    answered: 1,
    abandoned: 1,
    shortAbandoned: 1,
    serviceLevel: { '20': r(1, 2), '120': r(1, 2) },
    asaMs: m([15 * S]),
    abandonmentRate: r(1, 2),
    keepPlaceRate: r(1, 3),
    textFallbackRate: r(1, 3),
    offerNonResponseRate: r(0, 1),
    interpreterFillRate: r(0, 0),
    interpreterJoinMs: m([]),
    estimateError: estimateError({ C: 15 * S }),
    firstContactResolution: r(1, 1),
    satisfaction: r(1, 1),
    surveyResponse: r(1, 1),
    ahtMs: m([90 * S]),
  });
  const night = () => ({
    calls: 2,
    offered: 2,
    answered: 2,
    abandoned: 0,
    shortAbandoned: 0,
    serviceLevel: { '20': r(1, 2), '120': r(2, 2) },
    asaMs: m([15 * S, 40 * S]),
    abandonmentRate: r(0, 2),
    keepPlaceRate: r(0, 1),
    textFallbackRate: r(0, 1),
    offerNonResponseRate: r(1, 3),
    interpreterFillRate: r(1, 1),
    interpreterJoinMs: m([10 * S]),
    estimateError: estimateError({ D: 15 * S, E: 40 * S }),
    firstContactResolution: r(1, 2),
    satisfaction: r(1, 2),
    surveyResponse: r(2, 2),
    ahtMs: m([115 * S, 140 * S]),
  });

  it('in total', async () => {
    // Only E, who arrived while an agent was busy, could be told how long they would wait.
    expect(shown).toEqual({ A: null, B: null, C: null, D: null, E: expect.any(Number) });
    const body = await figures('none');
    expect(body).toMatchObject({
      from: seoul(0, 0),
      to: seoul(24, 0),
      timeZone: 'Asia/Seoul',
      thresholds: [20, 120],
      groups: [],
    });
    expect(body.total).toEqual({
      calls: 5,
      offered: 4,
      answered: 3,
      abandoned: 1,
      shortAbandoned: 1,
      serviceLevel: { '20': r(2, 4), '120': r(3, 4) },
      asaMs: m([15 * S, 15 * S, 40 * S]),
      abandonmentRate: r(1, 4),
      keepPlaceRate: r(1, 4),
      textFallbackRate: r(1, 4),
      offerNonResponseRate: r(1, 4),
      interpreterFillRate: r(1, 1),
      interpreterJoinMs: m([10 * S]),
      estimateError: estimateError({ C: 15 * S, D: 15 * S, E: 40 * S }),
      firstContactResolution: r(2, 3),
      satisfaction: r(2, 3),
      surveyResponse: r(3, 3),
      ahtMs: m([90 * S, 115 * S, 140 * S]),
    });
  });

  it('per shift of arrival: C (answered at 18:00:05) counts for day, E (answered on Tuesday) for night', async () => {
    const body = await figures('shift');
    expect(body.groups).toEqual([
      { key: 'day', label: 'day', figures: day() },
      { key: 'night', label: 'night', figures: night() },
    ]);
  });

  it('per language', async () => {
    const body = await figures('language');
    expect(body.groups.map((g) => g.key)).toEqual(['ko', 'kvk', 'vi']);
    const [ko, kvk, vi] = body.groups.map((g) => g.figures);
    expect(ko).toEqual({
      ...night(),
      serviceLevel: { '20': r(1, 2), '120': r(2, 2) },
      asaMs: m([15 * S, 40 * S]),
      offerNonResponseRate: r(0, 2),
      interpreterFillRate: r(0, 0),
      interpreterJoinMs: m([]),
      estimateError: estimateError({ C: 15 * S, E: 40 * S }),
      firstContactResolution: r(2, 2),
      satisfaction: r(1, 2),
      ahtMs: m([90 * S, 140 * S]),
    });
    expect(kvk).toEqual({
      ...day(),
      calls: 2,
      offered: 1,
      answered: 0,
      serviceLevel: { '20': r(0, 1), '120': r(0, 1) },
      asaMs: m([]),
      abandonmentRate: r(1, 1),
      keepPlaceRate: r(1, 2),
      textFallbackRate: r(1, 2),
      offerNonResponseRate: r(0, 0),
      estimateError: estimateError({}),
      firstContactResolution: r(0, 0),
      satisfaction: r(0, 0),
      surveyResponse: r(0, 0),
      ahtMs: m([]),
    });
    expect(vi).toEqual({
      calls: 1,
      offered: 1,
      answered: 1,
      abandoned: 0,
      shortAbandoned: 0,
      serviceLevel: { '20': r(1, 1), '120': r(1, 1) },
      asaMs: m([15 * S]),
      abandonmentRate: r(0, 1),
      keepPlaceRate: r(0, 1),
      textFallbackRate: r(0, 1),
      offerNonResponseRate: r(1, 2),
      interpreterFillRate: r(1, 1),
      interpreterJoinMs: m([10 * S]),
      estimateError: estimateError({ D: 15 * S }),
      firstContactResolution: r(0, 1),
      satisfaction: r(1, 1),
      surveyResponse: r(1, 1),
      ahtMs: m([115 * S]),
    });
  });

  it('per hour and weekday of arrival, and per agent by name', async () => {
    const hours = await figures('hour');
    expect(hours.groups.map((g) => [g.key, g.figures.calls])).toEqual([
      ['17', 3],
      ['23', 2],
    ]);
    const weekdays = await figures('weekday');
    expect(weekdays.groups.map((g) => [g.key, g.figures.calls])).toEqual([['1', 5]]);
    const agents = await figures('agent');
    expect(agents.groups.map((g) => [g.label, g.figures.answered])).toEqual([['Agent kim', 3]]);
  });

  it('lists the calls with who ended them in the log, and the short abandon apart', async () => {
    const res = await fetch(`${app.url}/api/supervisor/calls?from=${seoul(0, 0)}&to=${seoul(24, 0)}`, {
      headers: { cookie: supervisor },
    });
    const { calls } = (await res.json()) as {
      calls: {
        callerLanguage: string;
        shift: string;
        interpreterName: string | null;
        rating: number | null;
      }[];
    };
    expect(calls.map((c) => [c.callerLanguage, c.shift, c.rating])).toEqual([
      ['ko', 'night', 2],
      ['vi', 'night', 4],
      ['ko', 'day', 5],
      ['kvk', 'day', null],
      ['kvk', 'day', null],
    ]);
    expect(calls[1]!.interpreterName).toBe('Volunteer vol');
    const { events } = await app.store.history.range(seoul(0, 0), seoul(24, 0));
    expect(events.filter((e) => e.type === 'ended').map((e) => 'by' in e && e.by)).toEqual([
      'agent',
      'caller',
      'agent',
    ]);
    expect(events.filter((e) => e.type === 'abandoned').map((e) => 'waitedMs' in e && e.waitedMs)).toEqual([
      40 * S,
      3 * S,
    ]);
  });
});
