// GET /api/supervisor/ledger on a real SQLite store: the volunteer ledger from the call event log,
// months in the centre's zone, the query parsed with each bad field named, supervisors only.
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

const MINUTE = 60_000;
/** Seoul is UTC+9 all year. */
const seoul = (local: string) => Date.parse(`${local}:00+09:00`);
let now = seoul('2026-12-02T10:00');
let server: http.Server;
let url: string;
let store: Store;
let dir: string;
let supervisor: string;
let volunteerCookie: string;
let lanId: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-ledger-'));
  store = await openStore({ path: path.join(dir, 'relay.sqlite'), clock: () => now });
  const auth = new AuthSessions(() => now);
  const password = 'correct horse battery staple';
  const sup = await store.accounts.create({
    password,
    languages: ['ko'],
    username: 'lee',
    displayName: 'Lee',
    role: 'supervisor',
  });
  const lan = await store.accounts.create({
    password,
    languages: ['vi', 'ko'],
    username: 'lan',
    displayName: 'Nguyễn Thị Lan',
    role: 'volunteer',
  });
  lanId = lan.id;
  supervisor = `${SESSION_COOKIE}=${await auth.create({ accountId: sup.id, role: 'supervisor' })}`;
  volunteerCookie = `${SESSION_COOKIE}=${await auth.create({ accountId: lan.id, role: 'volunteer' })}`;
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
    figures: { calendar: new CentreCalendar('Asia/Seoul', DEFAULT_SHIFTS), thresholds: [20, 120] },
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const at = async (local: string, write: () => Promise<unknown>) => {
    now = seoul(local);
    await write();
  };
  // 30 November, 23:50 in Seoul (still November there; already 14:50 UTC the same day): Lan is
  // rung, accepts, interprets into 1 December 00:10.
  const late = await store.calls.start({ callerLanguage: 'vi', mode: 'video' });
  await at('2026-11-30T23:49', () =>
    store.calls.event(late.id, { type: 'interpreter-invited', volunteerId: lanId, invitationId: 'inv-1' }),
  );
  await at('2026-11-30T23:50', () =>
    store.calls.event(late.id, { type: 'interpreter-joined', volunteerId: lanId }),
  );
  await at('2026-12-01T00:10', () =>
    store.calls.event(late.id, { type: 'interpreter-left', volunteerId: lanId, reason: 'call-ended' }),
  );
  // 1 December: one invitation declined, one left to ring out.
  const other = await store.calls.start({ callerLanguage: 'vi', mode: 'video' });
  await at('2026-12-01T09:00', () =>
    store.calls.event(other.id, { type: 'interpreter-invited', volunteerId: lanId, invitationId: 'inv-2' }),
  );
  await at('2026-12-01T09:00', () =>
    store.calls.event(other.id, { type: 'invitation-declined', volunteerId: lanId, invitationId: 'inv-2' }),
  );
  await at('2026-12-01T09:05', () =>
    store.calls.event(other.id, { type: 'interpreter-invited', volunteerId: lanId, invitationId: 'inv-3' }),
  );
  await at('2026-12-01T09:05', () =>
    store.calls.event(other.id, { type: 'invitation-expired', volunteerId: lanId, invitationId: 'inv-3' }),
  );
  // Online (available, in the call, available again) across local midnight, then offline; and a
  // stretch wholly inside December.
  const presence = async (local: string, state: 'available' | 'in-call' | 'offline') =>
    store.presence.presenceChanged(
      { accountId: lanId, role: 'volunteer', state, reason: null },
      seoul(local),
    );
  await presence('2026-11-30T23:00', 'available');
  await presence('2026-11-30T23:50', 'in-call');
  await presence('2026-12-01T00:10', 'available');
  await presence('2026-12-01T00:30', 'offline');
  await presence('2026-12-01T08:50', 'available');
  await presence('2026-12-01T09:10', 'offline');
  now = seoul('2026-12-02T10:00');
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (query: string, cookie = supervisor) =>
  fetch(`${url}/api/supervisor/ledger?${query}`, { headers: { cookie } });

describe('GET /api/supervisor/ledger', () => {
  it('counts stays, calls and invitations per month of the centre calendar', async () => {
    const res = await get('from=2026-11&to=2026-12');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: Record<string, unknown>[]; timeZone: string };
    expect(body.timeZone).toBe('Asia/Seoul');
    const common = { volunteerId: lanId, name: 'Nguyễn Thị Lan' };
    expect(body.rows).toEqual([
      {
        ...common,
        month: '2026-11',
        onlineMs: 60 * MINUTE,
        interpretingMs: 10 * MINUTE,
        calls: 1,
        callsByLanguage: { vi: 1 },
        invitations: { accepted: 1, declined: 0, expired: 0, withdrawn: 0 },
      },
      {
        ...common,
        month: '2026-12',
        onlineMs: 50 * MINUTE,
        interpretingMs: 10 * MINUTE,
        calls: 0,
        callsByLanguage: {},
        invitations: { accepted: 0, declined: 1, expired: 1, withdrawn: 0 },
      },
    ]);
  });

  it('names the bad field: a malformed month, from after to, more than a year, an unknown key', async () => {
    const issues = async (query: string) => {
      const res = await get(query);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; issues: { field: string }[] } };
      expect(body.error.code).toBe('invalid-payload');
      return body.error.issues.map((i) => i.field);
    };
    expect(await issues('from=2026-13&to=2026-12')).toEqual(['from']);
    expect(await issues('from=2026-12')).toEqual(['to']);
    expect(await issues('to=2026-12')).toEqual(['to']);
    expect(await issues('from=2026-12&to=2026-11')).toEqual(['from']);
    expect(await issues('from=2025-01&to=2026-01')).toEqual(['to']);
    expect(await issues('from=2026-01&to=2026-01&csv=1')).toEqual(['csv']);
  });

  it('reports this month and the two before it when no range is given', async () => {
    const body = (await (await get('')).json()) as { from: string; to: string; rows: { month: string }[] };
    expect([body.from, body.to]).toEqual(['2026-10', '2026-12']);
    expect(body.rows.map((r) => r.month)).toEqual(['2026-10', '2026-11', '2026-12']);
  });

  it('is for supervisors only', async () => {
    expect((await get('from=2026-11&to=2026-12', volunteerCookie)).status).toBe(403);
    expect((await get('from=2026-11&to=2026-12', '')).status).toBe(401);
  });
});
