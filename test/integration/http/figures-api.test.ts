// GET /api/supervisor/figures and /api/supervisor/calls on a real SQLite store: the query parsed
// with each bad field named, supervisors only, "today" in the centre's zone. (The figures
// themselves from a history made by real calls: test/integration/figures/.)
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthSessions, SESSION_COOKIE } from '../../../server/src/auth/AuthSessions';
import { CentreCalendar } from '../../../server/src/figures/calendar';
import { createHttpApp } from '../../../server/src/http/createHttpApp';
import { DEFAULT_SHIFTS } from '../../../server/src/lobby';
import { createLogger } from '../../../server/src/logger';
import { openStore, type Store } from '../../../server/src/store';

// Monday 2025-03-03 10:00 in Seoul.
const NOW = Date.UTC(2025, 2, 3, 1, 0, 0);
const MIDNIGHT = Date.UTC(2025, 2, 2, 15, 0, 0);
let now = NOW;
let server: http.Server;
let url: string;
let store: Store;
let dir: string;
let supervisor: string;
let agent: string;
let agentId: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-figures-'));
  store = await openStore({ path: path.join(dir, 'relay.sqlite'), clock: () => now });
  const auth = new AuthSessions(() => now);
  const base = { password: 'correct horse battery staple', languages: ['ko'] };
  const sup = await store.accounts.create({
    ...base,
    username: 'lee',
    displayName: 'Lee',
    role: 'supervisor',
  });
  const kim = await store.accounts.create({
    ...base,
    username: 'kim',
    displayName: 'Kim Agent',
    role: 'agent',
  });
  agentId = kim.id;
  supervisor = `${SESSION_COOKIE}=${await auth.create({ accountId: sup.id, role: 'supervisor' })}`;
  agent = `${SESSION_COOKIE}=${await auth.create({ accountId: kim.id, role: 'agent' })}`;
  const app = createHttpApp({
    store,
    auth,
    log: createLogger('silent'),
    clientDir: dir,
    trustProxy: false,
    secureCookies: false,
    phase: () => 'ready',
    overview: () => ({}) as never,
    clock: () => now,
    figures: { calendar: new CentreCalendar('Asia/Seoul', DEFAULT_SHIFTS), thresholds: [30, 60] },
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Yesterday evening (out of "today"), and this morning: answered by Kim after 40 s.
  now = MIDNIGHT - 3_600_000;
  await store.calls.start({ callerLanguage: 'ko', mode: 'video' });
  now = NOW - 600_000;
  const { id } = await store.calls.start({ callerLanguage: 'kvk', mode: 'video' });
  now += 40_000;
  await store.calls.answered(id, { agentId });
  await store.calls.event(id, { type: 'answered', agentId, waitedMs: 40_000 });
  now = NOW;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (route: string, cookie = supervisor) =>
  fetch(`${url}/api/supervisor/${route}`, { headers: { cookie } });

async function refused(route: string): Promise<string[]> {
  const res = await get(route);
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { code: string; issues: { field: string }[] } };
  expect(body.error.code).toBe('invalid-payload');
  return body.error.issues.map((i) => i.field);
}

describe('GET /api/supervisor/figures', () => {
  it('answers today by default, since local midnight in Seoul, with the configured thresholds', async () => {
    const res = await get('figures');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      from: MIDNIGHT,
      to: NOW + 1,
      timeZone: 'Asia/Seoul',
      thresholds: [30, 60],
      groupBy: 'none',
      groups: [],
    });
    expect(body.total).toMatchObject({
      calls: 1,
      answered: 1,
      serviceLevel: { '30': { value: 0, n: 1 }, '60': { value: 1, n: 1 } },
    });
  });

  it('takes 7d, a range, thresholds and a grouping; agents are labelled by name', async () => {
    const week = await (await get('figures?period=7d')).json();
    expect(week.from).toBe(MIDNIGHT - 6 * 86_400_000);
    expect(week.total.calls).toBe(2);
    const byAgent = await (
      await get(`figures?from=${MIDNIGHT - 86_400_000}&to=${NOW}&groupBy=agent&thresholds=45`)
    ).json();
    expect(byAgent.thresholds).toEqual([45]);
    expect(byAgent.groups).toEqual([
      { key: agentId, label: 'Kim Agent', figures: expect.objectContaining({ calls: 1 }) },
    ]);
    // Read a week at a time: a range whose first week ends between the two calls counts each once.
    const weeks = await (await get(`figures?from=${NOW - 7 * 86_400_000 - 1_800_000}&to=${NOW + 1}`)).json();
    expect(weeks.total).toEqual(week.total);
    const byShift = await (await get('figures?period=7d&groupBy=shift')).json();
    expect(byShift.groups.map((g: { key: string; label: string }) => [g.key, g.label])).toEqual([
      ['day', 'day'],
      ['night', 'night'],
    ]);
  });

  it('refuses a bad query with 400 naming the field', async () => {
    expect(await refused(`figures?from=${NOW}&to=${NOW - 1}`)).toEqual(['from']);
    expect(await refused(`figures?from=0&to=${367 * 86_400_000}`)).toEqual(['to']);
    expect(await refused(`figures?from=${NOW}`)).toEqual(['to']);
    expect(await refused('figures?period=month')).toEqual(['period']);
    expect(await refused(`figures?period=today&from=0&to=1`)).toEqual(['period']);
    expect(await refused('figures?groupBy=colour')).toEqual(['groupBy']);
    expect(await refused('figures?thresholds=0')).toEqual(['thresholds']);
    expect(await refused('figures?thresholds=20,99999')).toEqual(['thresholds']);
    expect(await refused('figures?thresholds=1,2,3,4,5')).toEqual(['thresholds']);
    expect(await refused('figures?thresholds=abc')).toEqual(['thresholds']);
    expect(await refused('figures?colour=red')).toEqual(['colour']);
  });

  it('is for supervisors only', async () => {
    expect((await get('figures', agent)).status).toBe(403);
    expect((await fetch(`${url}/api/supervisor/figures`)).status).toBe(401);
  });
});

describe('GET /api/supervisor/calls', () => {
  it('lists the range newest first, filtered, page by page', async () => {
    const page = await (await get('calls?period=7d&limit=1')).json();
    expect(page.calls).toHaveLength(1);
    expect(page.calls[0]).toMatchObject({
      callerLanguage: 'kvk',
      agentId,
      agentName: 'Kim Agent',
      waitedMs: null,
    });
    const rest = await (await get(`calls?period=7d&limit=1&before=${page.next}`)).json();
    expect(rest.calls.map((c: { callerLanguage: string }) => c.callerLanguage)).toEqual(['ko']);
    const ko = await (await get('calls?period=7d&language=ko')).json();
    expect(ko).toMatchObject({ calls: [{ callerLanguage: 'ko' }], next: null });
  });

  it('refuses a bad filter with 400 naming the field', async () => {
    expect(await refused('calls?limit=0')).toEqual(['limit']);
    expect(await refused('calls?limit=501')).toEqual(['limit']);
    expect(await refused('calls?outcome=lost')).toEqual(['outcome']);
    expect(await refused('calls?mode=fax')).toEqual(['mode']);
    expect(await refused(`calls?from=5&to=5`)).toEqual(['from']);
  });
});
