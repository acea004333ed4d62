import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMITS, type SignInLimitOptions } from '../../../server/src/auth/SignInLimits';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';

/**
 * The attacks: one account took 50 wrong guesses from 5 addresses in a minute, while one person's
 * typos locked everyone behind an office NAT out; and an unapproved volunteer's 403 (right
 * password) against 401 (wrong one) was an uncounted password oracle. Each address is an
 * `X-Forwarded-For` behind TRUST_PROXY; time is a fake clock, so nothing here depends on speed.
 */
const scheduler = new FakeScheduler();
// The real limits, but an address ceiling of 20 rather than 100: every failed try pays the full
// password hash, and a hundred of them would take half a minute.
const LIMITS: SignInLimitOptions = { ...SIGN_IN_LIMITS, addressFailures: 20 };
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ TRUST_PROXY: 'true' }, { scheduler, signInLimits: LIMITS });
});
afterAll(async () => {
  await app?.stop();
});

async function agent(username: string): Promise<void> {
  await app.store.accounts.create({
    username,
    displayName: username,
    role: 'agent',
    languages: ['kvk', 'ko'],
    password: TEST_PASSWORD,
  });
}

async function signIn(username: string, password: string, address: string) {
  const res = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after'), body };
}

describe('per account name', () => {
  it('50 wrong guesses from 5 addresses: only the free few are tried, the rest wait, even the right one', async () => {
    await agent('target');
    const answers = [];
    for (let i = 0; i < 50; i++)
      answers.push(await signIn('target', `guess number ${i}`, `198.51.100.${i % 5}`));
    const tried = answers.filter((a) => a.status === 401);
    const refused = answers.filter((a) => a.status === 429);
    expect(tried).toHaveLength(LIMITS.freeFailures);
    expect(refused).toHaveLength(50 - LIMITS.freeFailures);
    for (const r of refused) {
      expect(r.code).toBe('rate-limited');
      expect(r.body.error?.message).toMatch(/try again in \d+ s/);
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // Locked whatever the address and whatever the password: the lock is not an oracle either.
    expect((await signIn('target', TEST_PASSWORD, '203.0.113.9')).status).toBe(429);

    // Once the lock has passed, one more guess; wrong, it locks the name twice as long as before.
    scheduler.advance(LIMITS.firstLockMs);
    expect((await signIn('target', 'yet another guess', '198.51.100.1')).status).toBe(401);
    scheduler.advance(LIMITS.firstLockMs);
    const locked = await signIn('target', TEST_PASSWORD, '198.51.100.1');
    expect(locked.status).toBe(429);
    // Locked 10 s from the last guess, 5 s of which have passed.
    expect(Number(locked.retryAfter)).toBe(LIMITS.firstLockMs / 1000);
    scheduler.advance(LIMITS.firstLockMs);
    expect((await signIn('target', TEST_PASSWORD, '198.51.100.1')).status).toBe(200);
  });

  it('does not lock out the other accounts behind the same address (an office NAT)', async () => {
    const office = '192.0.2.10';
    await agent('typist');
    await agent('colleague');
    for (let i = 0; i < 20; i++) await signIn('typist', `typo ${i}`, office);
    expect((await signIn('typist', TEST_PASSWORD, office)).status).toBe(429);
    expect((await signIn('colleague', 'one typo of mine', office)).status).toBe(401);
    expect((await signIn('colleague', TEST_PASSWORD, office)).status).toBe(200);
  });

  it('guesses sent all at once cannot all pass before the first one fails', async () => {
    await agent('parallel');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn('parallel', `guess ${i}`, `198.51.100.${100 + i}`)),
    );
    expect(answers.filter((a) => a.status === 401)).toHaveLength(LIMITS.freeFailures);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(20 - LIMITS.freeFailures);
  });

  it('counts unknown names like known ones, so the limit does not tell which names exist', async () => {
    const answers = [];
    for (let i = 0; i < LIMITS.freeFailures + 1; i++) {
      answers.push((await signIn('nobody-here', `guess ${i}`, '198.51.100.77')).status);
    }
    expect(answers.at(-1)).toBe(429);
  });
});

describe('per address', () => {
  it('one address spraying many names meets a ceiling far above an office’s typos', async () => {
    const sprayer = '198.51.100.200';
    await agent('sprayed');
    for (let i = 0; i < LIMITS.addressFailures; i++) {
      expect((await signIn(`name-${i}`, 'Summer2025!!', sprayer)).status).toBe(401);
    }
    const next = await signIn('sprayed', TEST_PASSWORD, sprayer);
    expect(next).toMatchObject({ status: 429, code: 'rate-limited' });
    expect(Number(next.retryAfter)).toBeGreaterThan(0);
    // The account itself is not locked: from another address its owner signs in.
    expect((await signIn('sprayed', TEST_PASSWORD, '198.51.100.201')).status).toBe(200);
  });
});

describe('a volunteer awaiting approval', () => {
  it('is told so with the right password, and each such answer counts like a failure', async () => {
    await app.store.volunteers.register({
      username: 'newcomer',
      displayName: 'New Comer',
      password: TEST_PASSWORD,
      languages: [
        { tag: 'vi', level: 'native' },
        { tag: 'ko', level: 'fluent' },
      ],
    });
    const address = '203.0.113.50';
    expect(await signIn('newcomer', 'not my password', address)).toMatchObject({
      status: 401,
      code: 'unauthenticated',
    });
    const awaiting = await signIn('newcomer', TEST_PASSWORD, address);
    expect(awaiting).toMatchObject({ status: 403, code: 'awaiting-approval' });
    expect(awaiting.body.error?.message).toMatch(/approval/);
    // Under guessing, the right password no longer stands out: after the free few, all are 429.
    const more = [];
    for (let i = 0; i < LIMITS.freeFailures; i++) {
      more.push((await signIn('newcomer', TEST_PASSWORD, address)).status);
    }
    expect(more).toEqual([...Array(LIMITS.freeFailures - 2).fill(403), 429, 429]);
  });
});
