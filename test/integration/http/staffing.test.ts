import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffingResponse } from '../../../common/staffing';
import { SESSION_COOKIE } from '../../../server/src/auth/AuthSessions';
import { agentsNeeded } from '../../../server/src/staffing/agentsNeeded';
import { openStore, type Store } from '../../../server/src/store';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { local, S, SUNDAY } from '../../helpers/seoulWeek';
import { startTestApp, type TestApp } from '../../helpers/testApp';

/**
 * GET /api/supervisor/staffing over a real app and a real SQLite file, the history written through
 * the store on a fake clock: two weeks of calls in Seoul, a two-shift calendar from SHIFTS.
 */
/** The app's clock stands at the end of the history; the store writes the history on a clock of its own. */
const NOW = local(2, 0, 0);
const scheduler = new FakeScheduler(NOW);
let written = SUNDAY;
let dir: string;
let store: Store;
let app: TestApp;
let supervisor: string;
let agentCookie: string;
let agentId: string;

/** A call arriving at `at`: answered after `waitS` and completed after `talkS` more, or abandoned after `waitS`. */
async function call(language: string, at: number, waitS: number, talkS: number | 'hung up'): Promise<void> {
  written = at;
  const { id } = await store.calls.start({ callerLanguage: language, mode: 'video' });
  written += waitS * S;
  if (talkS === 'hung up') {
    await store.calls.ended(id, { outcome: 'abandoned', waitedMs: waitS * S });
    return;
  }
  await store.calls.answered(id, { agentId });
  written += talkS * S;
  await store.calls.ended(id, { outcome: 'completed', waitedMs: waitS * S });
}

const get = (query: string, cookie = supervisor) =>
  fetch(`${app.url}/api/supervisor/staffing${query}`, { headers: { cookie } });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-staffing-'));
  store = await openStore({ path: path.join(dir, 'history.sqlite'), clock: () => written });
  app = await startTestApp({ SHIFTS: 'day=09:00-18:00;night=18:00-09:00' }, { scheduler, store });
  agentId = await app.createStaff('agent', 'signer', ['kvk', 'ko']);
  await store.accounts.setShift(agentId, 'day');
  agentCookie = await app.cookieFor(agentId, 'agent');
  const night = await app.createStaff('agent', 'owl', ['ko']);
  await store.accounts.setShift(night, 'night');
  const gone = await app.createStaff('agent', 'gone', ['ko']);
  await store.accounts.setShift(gone, 'day');
  await store.accounts.disable(gone);
  const boss = await store.accounts.create({
    username: 'boss',
    displayName: 'Boss',
    role: 'supervisor',
    languages: ['ko'],
    password: 'correct horse battery staple',
  });
  supervisor = `${SESSION_COOKIE}=${await app.auth.create({ accountId: boss.id, role: 'supervisor' })}`;

  // ko on Mondays 10:00–10:59: answered after 20 s (300 s), hung up after 40 s; a week later 20 s (500 s).
  await call('ko', local(0, 1, 10, 0), 20, 300);
  await call('ko', local(0, 1, 10, 30), 40, 'hung up');
  await call('ko', local(1, 1, 10, 10), 20, 500);
  // vi on a Saturday 22:00: answered after 60 s, 400 s.
  await call('vi', local(1, 6, 22, 0), 60, 400);
});
afterAll(async () => {
  await app?.stop();
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const target = { serviceLevel: 0.8, thresholdS: 20 };

describe('GET /api/supervisor/staffing', () => {
  it('computes the last weeks of calls into agents per hour and per shift, beside the roster', async () => {
    const res = await get('?weeks=2&target=80/20');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as StaffingResponse;
    expect(body).toMatchObject({
      from: local(0, 0, 0),
      to: NOW,
      weeks: 2,
      target: { share: 0.8, seconds: 20 },
    });
    expect(body.groups).toEqual([
      // Handle times 300 and 500 s; waits 20 + 40 + 20 s over one hang-up.
      { key: 'ko', calls: 3, ahtS: 400, patienceS: 80 },
      { key: 'kvk', calls: 0, ahtS: null, patienceS: null },
      { key: 'interpreted', calls: 1, ahtS: 400, patienceS: null },
    ]);
    const monday10 = body.hours.find((h) => h.weekday === 1 && h.hour === 10)!;
    const ko = { ratePerHour: 1.5, ahtS: 400 };
    expect(monday10).toEqual({
      weekday: 1,
      hour: 10,
      arrivalsPerHour: 1.5,
      erlangC: agentsNeeded(ko, target, 'erlang-c').agents,
      erlangA: agentsNeeded(ko, target, { patienceS: 80 }).agents,
    });
    expect(body.hours.find((h) => h.weekday === 6 && h.hour === 22)!.arrivalsPerHour).toBe(0.5);
    const vi = agentsNeeded({ ratePerHour: 0.5, ahtS: 400 }, target, 'erlang-c').agents;
    expect(body.shifts).toEqual([
      {
        shift: 'day',
        needed: monday10.erlangA,
        erlangC: monday10.erlangC,
        erlangA: monday10.erlangA,
        rostered: 1,
      },
      // Nobody interpreted hung up: Erlang C in both plans.
      { shift: 'night', needed: vi, erlangC: vi, erlangA: vi, rostered: 1 },
    ]);
  });

  it('defaults to four weeks and 80/20', async () => {
    const body = (await (await get('')).json()) as StaffingResponse;
    expect(body).toMatchObject({
      from: local(-2, 0, 0),
      to: NOW,
      weeks: 4,
      target: { share: 0.8, seconds: 20 },
    });
    expect(body.hours.find((h) => h.weekday === 1 && h.hour === 10)!.arrivalsPerHour).toBe(0.75);
    expect(body.groups[0]).toEqual({ key: 'ko', calls: 3, ahtS: 400, patienceS: 80 });
  });

  it('takes another target', async () => {
    const body = (await (await get('?weeks=2&target=90/30')).json()) as StaffingResponse;
    const strict = { serviceLevel: 0.9, thresholdS: 30 };
    expect(body.target).toEqual({ share: 0.9, seconds: 30 });
    expect(body.hours.find((h) => h.weekday === 1 && h.hour === 10)!.erlangC).toBe(
      agentsNeeded({ ratePerHour: 1.5, ahtS: 400 }, strict, 'erlang-c').agents,
    );
  });

  it.each([
    ['?weeks=0', 'weeks'],
    ['?weeks=27', 'weeks'],
    ['?weeks=2.5', 'weeks'],
    ['?weeks=many', 'weeks'],
    ['?weeks=2&weeks=3', 'weeks'],
    ['?target=100/20', 'target'],
    ['?target=80', 'target'],
    ['?target=80/0', 'target'],
    ['?target=80/5000', 'target'],
    ['?target=eighty', 'target'],
  ])('%s is a 400 naming %s', async (query, field) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string; issues: unknown[] } };
    expect(error).toMatchObject({
      code: 'invalid-payload',
      issues: [{ field, message: expect.any(String) }],
    });
    expect(error.message).toMatch(new RegExp(`^${field}: `));
  });

  it('is for supervisors only', async () => {
    expect((await fetch(`${app.url}/api/supervisor/staffing`)).status).toBe(401);
    expect((await get('', agentCookie)).status).toBe(403);
  });
});
