import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceResponse } from '../../../server/src/presence/presenceFigures';
import { SESSION_COOKIE } from '../../../server/src/auth/AuthSessions';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { connect, ok, startTestApp, type TestApp } from '../../helpers/testApp';
import { until } from '../../helpers/waiting';

let app: TestApp;
let supervisor: string;
let agentCookie: string;
const scheduler = new FakeScheduler(); // 2025-03-03 01:00 UTC: 10:00 in Seoul
const START = scheduler.now();

beforeAll(async () => {
  app = await startTestApp({}, { scheduler });
  const id = await app.createStaff('agent', 'kim', ['ko']);
  agentCookie = await app.cookieFor(id, 'agent');
  const boss = await app.store.accounts.create({
    username: 'boss',
    displayName: 'Boss',
    role: 'supervisor',
    languages: ['ko'],
    password: 'correct horse battery staple',
  });
  supervisor = `${SESSION_COOKIE}=${await app.auth.create({ accountId: boss.id, role: 'supervisor' })}`;
});
afterAll(async () => {
  await app?.stop();
});

const get = (query: string, cookie = supervisor) =>
  fetch(`${app.url}/api/supervisor/presence${query}`, { headers: { cookie } });

describe('GET /api/supervisor/presence', () => {
  it('is for supervisors only', async () => {
    expect((await fetch(`${app.url}/api/supervisor/presence?period=today`)).status).toBe(401);
    expect((await get('?period=today', agentCookie)).status).toBe(403);
  });

  it.each([
    ['?period=week', 'period'],
    ['?period=today&from=1', 'period'],
    ['?minutes=5', 'minutes'],
    ['?from=10', 'to'],
    ['?from=10&to=5', 'from'],
    ['?from=abc&to=5', 'from'],
    ['?from=0&to=5&to=6', 'to'],
    [`?from=0&to=${367 * 24 * 3600 * 1000}`, 'to'],
  ])('%s is a 400 naming %s', async (query, field) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; issues: { field: string }[] } };
    expect(body.error.code).toBe('invalid-payload');
    expect(body.error.issues.map((i) => i.field)).toContain(field);
  });

  it('reads today without a range, as the other history routes do', async () => {
    const res = await get('');
    expect(res.status).toBe(200);
    expect(((await res.json()) as PresenceResponse).to).toBe(scheduler.now() + 1);
  });

  it('counts an agent going away with a reason, up to now while still away', async () => {
    const agent = await connect(app, '/agent', agentCookie);
    ok(await agent.request('agent:set-presence', { presence: 'available' }));
    scheduler.advance(60_000);
    ok(await agent.request('agent:set-presence', { presence: 'away', reason: 'meal' }));
    scheduler.advance(120_000);
    const read = async () =>
      (await (await get(`?from=${START}&to=${scheduler.now()}`)).json()) as PresenceResponse;
    await until(async () => (await read()).staff.length === 1);
    const figures = await read();
    expect(figures.staff).toEqual([
      {
        accountId: expect.any(String),
        name: 'Agent kim',
        role: 'agent',
        msByState: { available: 60_000, away: 120_000 },
        awayByReason: { meal: 120_000 },
        occupancy: { value: 0, n: 60_000 },
      },
    ]);
    expect(figures.awayByReason.find((r) => r.reason === 'meal')).toEqual({
      reason: 'meal',
      ms: 120_000,
      intervals: 1,
    });
    // "today" starts at midnight in Seoul: 15:00 UTC the day before.
    const today = (await (await get('?period=today')).json()) as PresenceResponse;
    expect(today.from).toBe(Date.UTC(2025, 2, 2, 15, 0, 0));
    expect(today.to).toBe(scheduler.now() + 1);
    const week = (await (await get('?period=7d')).json()) as PresenceResponse;
    expect(week.from).toBe(Date.UTC(2025, 1, 24, 15, 0, 0));
    agent.close();
  });
});
