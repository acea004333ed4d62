// The lease across two nodes' connections with a real (short) TTL, on both implementations; then
// the keepers electing, renewing and handing over.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LeaseKeeper } from '../../../server/src/cluster/LeaseKeeper';
import { backends, eventually, scheduler, sleep, type Store } from './backends';

const TTL = 300;
const TIMING = { ttlMs: 300, renewEveryMs: 100, safetyMarginMs: 50 };

describe.each(backends)('lease ($name)', (backend) => {
  let store: Store;
  const keepers: LeaseKeeper[] = [];
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  afterEach(async () => {
    for (const k of keepers.splice(0)) await k.stop({ release: false });
    await store.close();
  });

  async function twoNodes() {
    store = await backend.store();
    return { a: await store.node('a'), b: await store.node('b') };
  }

  it('is held by one node at a time; the other is told who and for how long', async () => {
    const { a, b } = await twoNodes();
    expect(await a.lease.current()).toEqual({ holder: null, epoch: 0 });
    expect(await a.lease.acquire('a', TTL)).toEqual({ acquired: true, epoch: 1 });
    const refused = await b.lease.acquire('b', TTL);
    expect(refused.acquired).toBe(false);
    if (!refused.acquired) {
      expect(refused.holder).toMatchObject({ nodeId: 'a', epoch: 1 });
      expect(refused.holder.expiresInMs).toBeGreaterThan(0);
      expect(refused.holder.expiresInMs).toBeLessThanOrEqual(TTL);
    }
    expect((await b.lease.current()).holder?.nodeId).toBe('a');
  });

  it('expires after its TTL; the next holder gets a larger epoch and the old one can no longer renew', async () => {
    const { a, b } = await twoNodes();
    await a.lease.acquire('a', TTL);
    await sleep(TTL + 50);
    expect((await b.lease.current()).holder).toBeNull();
    expect(await b.lease.acquire('b', TTL)).toEqual({ acquired: true, epoch: 2 });
    expect(await a.lease.renew('a', 1, TTL)).toBe(false);
    expect(await a.lease.release('a', 1)).toBe(false);
    expect(await b.lease.current()).toMatchObject({ holder: { nodeId: 'b', epoch: 2 }, epoch: 2 });
  });

  it('renewals keep it past its TTL; only the holder with its epoch renews or releases', async () => {
    const { a, b } = await twoNodes();
    await a.lease.acquire('a', TTL);
    for (let i = 0; i < 4; i++) {
      await sleep(TTL / 2);
      expect(await a.lease.renew('a', 1, TTL)).toBe(true);
    }
    expect(await b.lease.renew('b', 1, TTL)).toBe(false);
    expect(await a.lease.renew('a', 7, TTL)).toBe(false);
    expect((await b.lease.acquire('b', TTL)).acquired).toBe(false);
    expect(await b.lease.release('b', 1)).toBe(false);
    expect(await a.lease.release('a', 1)).toBe(true);
    expect(await b.lease.acquire('b', TTL)).toEqual({ acquired: true, epoch: 2 });
  });

  it('keepers: one leads; when it dies the other takes over within about the TTL, with a new epoch', async () => {
    const { a, b } = await twoNodes();
    const ka = new LeaseKeeper({ lease: a.lease, nodeId: 'a', scheduler, timing: TIMING });
    const kb = new LeaseKeeper({ lease: b.lease, nodeId: 'b', scheduler, timing: TIMING });
    keepers.push(ka, kb);
    ka.start();
    await eventually(() => ka.epoch === 1);
    kb.start();
    await sleep(3 * TTL); // renewals keep a in place for several TTLs
    expect(ka.epoch).toBe(1);
    expect(kb.epoch).toBeNull();
    const gained = new Promise<{ epoch: number; at: number }>((resolve) =>
      kb.once('gained', ({ epoch }) => resolve({ epoch, at: Date.now() })),
    );
    const diedAt = Date.now();
    await ka.stop({ release: false }); // a crash: the lease is not given back
    const { epoch, at } = await gained;
    expect(epoch).toBe(2);
    // The TTL plus at most one retry period (generous: a loaded CI machine delays timers).
    expect(at - diedAt).toBeGreaterThanOrEqual(TTL - TIMING.renewEveryMs);
    expect(at - diedAt).toBeLessThan(TTL + 2 * TIMING.renewEveryMs + 400);
  });

  it('keepers: a clean stop hands the lease over at once', async () => {
    const { a, b } = await twoNodes();
    const ka = new LeaseKeeper({ lease: a.lease, nodeId: 'a', scheduler, timing: TIMING });
    const kb = new LeaseKeeper({ lease: b.lease, nodeId: 'b', scheduler, timing: TIMING });
    keepers.push(ka, kb);
    ka.start();
    await eventually(() => ka.epoch === 1);
    kb.start();
    await sleep(50);
    const stoppedAt = Date.now();
    await ka.stop();
    await eventually(() => kb.epoch === 2);
    expect(Date.now() - stoppedAt).toBeLessThan(TTL); // well before the lease would have expired
  });
});
