import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueView } from '../../../common/protocol';
import { connectCall } from '../../helpers/calls';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import {
  connect,
  ok,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
  type TestSocket,
} from '../../helpers/testApp';

/**
 * The attack: an account disabled (or its password changed) with the accounts CLI, another
 * process writing the same SQLite file, kept its open socket and went on taking calls. Now every
 * sign-in of the account ends: its sockets are disconnected within a few seconds, its cookie is
 * refused, and a call it was in handles the loss like any dropped participant.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const GRACE_MS = 400;
// The lobby's clock is fake (grace periods lapse when told); the sign-in re-check runs on real time.
const scheduler = new FakeScheduler();
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({}, { reconnectGraceMs: GRACE_MS, scheduler });
});
afterAll(async () => {
  await app?.stop();
});

/** `npm run user -- <args>` on the app's own database file, as an operator runs it. */
function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'server/src/cli/user.ts'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: '', DATABASE_PATH: path.join(app.dir, 'relay.sqlite') },
      },
      (error, stdout) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout });
      },
    );
    child.stdin?.end(stdin);
  });
}

/**
 * Resolves with the reason once the server disconnects the socket (the test's timeout bounds it),
 * after checking the page was told why first (`auth:signed-out`), so it can say so.
 */
const dropped = (socket: TestSocket) => {
  const told: string[] = [];
  socket.once('auth:signed-out', ({ code }: { code: string }) => told.push(code));
  return new Promise<string>((resolve) =>
    socket.once('disconnect', (reason: string) =>
      resolve(told.join() === 'unauthenticated' ? reason : `${reason}, told [${told.join()}]`),
    ),
  );
};

const me = async (cookie: string) => (await fetch(`${app.url}/api/auth/me`, { headers: { cookie } })).status;

const signIn = async (username: string, password: string) =>
  (
    await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
  ).status;

describe('an account disabled with the CLI', () => {
  it('is disconnected mid-call; the call loses it like a dropped agent; its sign-in is over', async () => {
    const { cookie } = await app.addAgent('cli-disabled');
    const agent = await connect(app, '/agent', cookie);
    const caller = await connect(app, '/caller');
    await connectCall(agent, caller);

    const away = caller.next<{ role: string }>('session:participant-away', 15_000);
    const gone = dropped(agent);
    expect(await cli(['disable', '--username', 'cli-disabled'])).toMatchObject({ code: 0 });
    expect(await gone).toBe('io server disconnect');
    // The caller is told at once that the agent's connection dropped.
    expect((await away).role).toBe('agent');

    // The existing grace logic: the agent does not come back, so the caller goes back to the head of the line.
    const ended = caller.next<{ reason: string }>('session:ended');
    const requeued = caller.next<QueueView>('lobby:requeued');
    scheduler.advance(GRACE_MS);
    expect((await ended).reason).toBe('participant-lost');
    expect((await requeued).position).toBe(1);

    expect(await me(cookie)).toBe(401);
    await expect(connect(app, '/agent', cookie)).rejects.toThrow(/^unauthenticated$/);
    expect(await signIn('cli-disabled', TEST_PASSWORD)).toBe(401);
    ok(await caller.request('lobby:cancel'));
    caller.close();
  });
});

describe('a password changed with the CLI', () => {
  it('ends every sign-in of the account (both tabs, and the cookie); the new password signs in', async () => {
    const { cookie } = await app.addVolunteer('cli-passwd');
    const tabs = [await connect(app, '/volunteer', cookie), await connect(app, '/volunteer', cookie)];
    const gone = tabs.map(dropped);
    const changed = await cli(['passwd', '--username', 'cli-passwd'], 'a brand new passphrase\n');
    expect(changed).toMatchObject({ code: 0 });
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(await me(cookie)).toBe(401);
    await expect(connect(app, '/volunteer', cookie)).rejects.toThrow(/^unauthenticated$/);
    expect(await signIn('cli-passwd', TEST_PASSWORD)).toBe(401);
    expect(await signIn('cli-passwd', 'a brand new passphrase')).toBe(200);
  });
});

describe('"npm run user -- signout"', () => {
  it('signs the account out everywhere and leaves every other account connected', async () => {
    const { cookie } = await app.addAgent('cli-signout');
    const bystander = await connect(app, '/agent', (await app.addAgent('bystander')).cookie);
    const agent = await connect(app, '/agent', cookie);
    const gone = dropped(agent);
    expect(await cli(['signout', '--username', 'cli-signout'])).toMatchObject({
      code: 0,
      stdout: 'Signed "cli-signout" out everywhere.\n',
    });
    expect(await gone).toBe('io server disconnect');
    expect(await me(cookie)).toBe(401);
    expect(bystander.connected).toBe(true);
    // Nothing else changed: the same password signs in again.
    const again = await connect(app, '/agent', await app.login('cli-signout', TEST_PASSWORD));
    expect(again.connected).toBe(true);
    for (const s of [again, bystander]) s.close();
  });
});

describe('other ends of a sign-in', () => {
  it('a volunteer whose approval a supervisor revokes is disconnected and signed out', async () => {
    const { cookie, id } = await app.addVolunteer('revoked-online');
    const volunteer = await connect(app, '/volunteer', cookie);
    const gone = dropped(volunteer);
    await app.store.accounts.setApproved(id, false);
    expect(await gone).toBe('io server disconnect');
    expect(await me(cookie)).toBe(401);
  });

  it('signing out over HTTP disconnects that session’s sockets too', async () => {
    const { cookie } = await app.addAgent('signs-out');
    const agent = await connect(app, '/agent', cookie);
    const gone = dropped(agent);
    const res = await fetch(`${app.url}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
  });
});
