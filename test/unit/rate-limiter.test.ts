import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../server/src/signaling/RateLimiter';
import { AuthSessions } from '../../server/src/auth/AuthSessions';

describe('RateLimiter', () => {
  it('allows a burst, refuses the flood, and refills with time, per key', () => {
    let now = 0;
    const limiter = new RateLimiter(3, 1 / 1000, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    now += 1000;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });
});

describe('AuthSessions', () => {
  it('knows a session until it expires or is destroyed', async () => {
    let now = 0;
    const auth = new AuthSessions(() => now, 1000);
    const id = await auth.create({ accountId: 'a1', role: 'agent' });
    expect(await auth.fromCookieHeader(`other=1; relay_session=${id}`)).toEqual({
      accountId: 'a1',
      role: 'agent',
      generation: 0,
    });
    expect(await auth.get('forged')).toBeNull();
    now = 999;
    expect(await auth.get(id)).not.toBeNull();
    now = 1000;
    expect(await auth.get(id)).toBeNull();
    const id2 = await auth.create({ accountId: 'a2', role: 'agent' });
    await auth.destroy(id2);
    expect(await auth.get(id2)).toBeNull();
  });
});
