// The lease and its fencing epoch, on a fake clock: who may acquire, renew and release, and when.
import { describe, expect, it } from 'vitest';
import { InProcessLease } from '../../../server/src/cluster/InProcessLease';
import { FakeScheduler } from '../../helpers/FakeScheduler';

const TTL = 3_000;

function setup(): { clock: FakeScheduler; lease: InProcessLease } {
  const clock = new FakeScheduler();
  return { clock, lease: new InProcessLease(clock) };
}

describe('InProcessLease', () => {
  it('is acquired when free, with epoch 1, and then refused to others with who holds it', async () => {
    const { lease } = setup();
    expect(await lease.current()).toEqual({ holder: null, epoch: 0 });
    expect(await lease.acquire('a', TTL)).toEqual({ acquired: true, epoch: 1 });
    expect(await lease.acquire('b', TTL)).toEqual({
      acquired: false,
      holder: { nodeId: 'a', epoch: 1, expiresInMs: TTL },
    });
    // Not even the holder acquires it twice: it renews.
    expect((await lease.acquire('a', TTL)).acquired).toBe(false);
    expect(await lease.current()).toEqual({ holder: { nodeId: 'a', epoch: 1, expiresInMs: TTL }, epoch: 1 });
  });

  it('is renewed only by its holder with its epoch, and the renewal extends it', async () => {
    const { clock, lease } = setup();
    await lease.acquire('a', TTL);
    clock.advance(2_000);
    expect(await lease.renew('b', 1, TTL)).toBe(false);
    expect(await lease.renew('a', 2, TTL)).toBe(false);
    expect(await lease.renew('a', 1, TTL)).toBe(true);
    clock.advance(2_000); // 4 s after acquiring, 2 s after renewing
    expect((await lease.current()).holder).toEqual({ nodeId: 'a', epoch: 1, expiresInMs: 1_000 });
  });

  it('expires after its TTL: the next acquisition gets a larger epoch, the old holder cannot renew', async () => {
    const { clock, lease } = setup();
    await lease.acquire('a', TTL);
    clock.advance(TTL - 1);
    expect((await lease.acquire('b', TTL)).acquired).toBe(false);
    clock.advance(1);
    expect((await lease.current()).holder).toBeNull();
    expect(await lease.renew('a', 1, TTL)).toBe(false); // expired: no holder to renew as
    expect(await lease.acquire('b', TTL)).toEqual({ acquired: true, epoch: 2 });
    expect(await lease.renew('a', 1, TTL)).toBe(false);
    expect(lease.isLive(1)).toBe(false);
    expect(lease.isLive(2)).toBe(true);
  });

  it('is released only by its holder with its epoch; then anyone acquires it with a new epoch', async () => {
    const { lease } = setup();
    await lease.acquire('a', TTL);
    expect(await lease.release('b', 1)).toBe(false);
    expect(await lease.release('a', 2)).toBe(false);
    expect(await lease.release('a', 1)).toBe(true);
    expect(await lease.release('a', 1)).toBe(false);
    expect(await lease.current()).toEqual({ holder: null, epoch: 1 });
    expect(await lease.acquire('a', TTL)).toEqual({ acquired: true, epoch: 2 });
  });

  it('never hands out the same epoch twice, whoever acquires and however it ended', async () => {
    const { clock, lease } = setup();
    const epochs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const node = `n${i % 3}`;
      const attempt = await lease.acquire(node, TTL);
      if (!attempt.acquired) throw new Error('expected the lease to be free');
      epochs.push(attempt.epoch);
      if (i % 2 === 0) await lease.release(node, attempt.epoch);
      else clock.advance(TTL);
    }
    expect(epochs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
