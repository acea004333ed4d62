// The acquire/renew loop on a fake clock: gained and lost with the epoch, a standby taking over,
// and a leader that stops leading before its lease can expire when renewals fail or come late.
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessLease } from '../../../server/src/cluster/InProcessLease';
import { LeaseKeeper, type LeaseLossReason } from '../../../server/src/cluster/LeaseKeeper';
import { resolveLeaseTiming } from '../../../server/src/cluster/timing';
import type { Lease } from '../../../server/src/cluster/Lease';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { advance, Link, PausableScheduler, settle } from './helpers';

interface Node {
  keeper: LeaseKeeper;
  clock: PausableScheduler;
  events: Array<{ at: number; kind: 'gained' | 'lost'; epoch: number; reason?: LeaseLossReason }>;
}

const keepers: LeaseKeeper[] = [];
afterEach(async () => {
  for (const k of keepers.splice(0)) await k.stop({ release: false });
});

function node(nodeId: string, lease: Lease, base: FakeScheduler): Node {
  const clock = new PausableScheduler(base);
  const keeper = new LeaseKeeper({ lease, nodeId, scheduler: clock });
  keepers.push(keeper);
  const events: Node['events'] = [];
  keeper.on('gained', ({ epoch }) => events.push({ at: base.now(), kind: 'gained', epoch }));
  keeper.on('lost', ({ epoch, reason }) => events.push({ at: base.now(), kind: 'lost', epoch, reason }));
  return { keeper, clock, events };
}

/** A store that can go down (every call fails, as ioredis does once it gives up) and come back with its data. */
class Outage implements Lease {
  down = false;
  /** Swapped for a new one when the store comes back without its data. */
  constructor(public lease: Lease) {}
  #check(): void {
    if (this.down) throw new Error('ECONNREFUSED');
  }
  acquire: Lease['acquire'] = async (...a) => (this.#check(), this.lease.acquire(...a));
  renew: Lease['renew'] = async (...a) => (this.#check(), this.lease.renew(...a));
  release: Lease['release'] = async (...a) => (this.#check(), this.lease.release(...a));
  current: Lease['current'] = async () => (this.#check(), this.lease.current());
}

/** A lease's methods as plain functions (to override one). */
function bound(lease: Lease): Lease {
  return {
    acquire: (...a) => lease.acquire(...a),
    renew: (...a) => lease.renew(...a),
    release: (...a) => lease.release(...a),
    current: () => lease.current(),
  };
}

function setup(): { base: FakeScheduler; lease: InProcessLease; start: number } {
  const base = new FakeScheduler();
  return { base, lease: new InProcessLease(base), start: base.now() };
}

describe('LeaseKeeper', () => {
  it('gains the lease at start and keeps it by renewing every second', async () => {
    const { base, lease, start } = setup();
    const a = node('a', lease, base);
    a.keeper.start();
    await settle();
    expect(a.events).toEqual([{ at: start, kind: 'gained', epoch: 1 }]);
    expect(a.keeper.epoch).toBe(1);
    await advance(base, 30_000);
    expect(a.events).toHaveLength(1);
    expect(a.keeper.holds(1)).toBe(true);
    expect((await lease.current()).holder?.nodeId).toBe('a');
  });

  it('lets only one of two nodes lead', async () => {
    const { base, lease } = setup();
    const a = node('a', lease, base);
    const b = node('b', lease, base);
    a.keeper.start();
    b.keeper.start();
    await advance(base, 10_000);
    expect(a.events.map((e) => e.kind)).toEqual(['gained']);
    expect(b.events).toEqual([]);
    expect(b.keeper.epoch).toBeNull();
  });

  it('a paused leader stops leading at ttl − margin, before the standby takes over at the TTL', async () => {
    const { base, lease, start } = setup();
    const a = node('a', lease, base);
    a.keeper.start();
    await settle();
    const b = node('b', lease, base);
    b.keeper.start();
    await advance(base, 1_000); // a renewed at +1 s: its lease runs to +4 s, its leadership to +3.5 s
    a.clock.pause();
    // By the clock, a's leadership ends at once when its validity passes, timer or no timer.
    await advance(base, 2_500);
    expect(a.keeper.holds(1)).toBe(false);
    expect(b.events).toEqual([]); // the store still has a's lease until +4 s
    await advance(base, 500);
    expect(b.events).toEqual([{ at: start + 4_000, kind: 'gained', epoch: 2 }]);
    a.clock.resume();
    await settle();
    expect(a.events).toEqual([
      { at: start, kind: 'gained', epoch: 1 },
      { at: start + 4_000, kind: 'lost', epoch: 1, reason: 'expired' },
    ]);
    await advance(base, 5_000);
    expect(a.events).toHaveLength(2); // it does not get it back while b renews
    expect(b.keeper.epoch).toBe(2);
  });

  it('a renewal the store refuses is lost at once, with the epoch', async () => {
    const { base, lease, start } = setup();
    const a = node('a', lease, base);
    a.keeper.start();
    await settle();
    await lease.release('a', 1); // e.g. an operator freed it
    await lease.acquire('intruder', 3_000);
    await advance(base, 1_000);
    expect(a.events).toEqual([
      { at: start, kind: 'gained', epoch: 1 },
      { at: start + 1_000, kind: 'lost', epoch: 1, reason: 'refused' },
    ]);
    expect(a.keeper.epoch).toBeNull();
  });

  it('renewals stuck in a cut link: lost at ttl − margin after the last good one was sent', async () => {
    const { base, lease, start } = setup();
    const link = new Link();
    const a = node('a', link.through(lease), base);
    a.keeper.start();
    await advance(base, 1_000); // renewed at +1 s
    link.cut();
    await advance(base, 2_400);
    expect(a.keeper.epoch).toBe(1);
    expect(link.inFlight).toBe(1); // the +2 s renewal, unanswered
    await advance(base, 100);
    expect(a.events.at(-1)).toEqual({ at: start + 3_500, kind: 'lost', epoch: 1, reason: 'expired' });
    // The store still has it for another 500 ms: the margin is what keeps two leaders apart.
    expect((await lease.current()).holder).toEqual({ nodeId: 'a', epoch: 1, expiresInMs: 500 });
    link.heal();
    await advance(base, 1_000);
    // The stale renewal is ignored and the lease given back; a seeks again and wins a new epoch.
    expect(a.events.at(-1)).toMatchObject({ kind: 'gained', epoch: 2 });
  });

  it('an answer that arrives after leadership ran out is not taken as a renewal', async () => {
    const { base, lease } = setup();
    const link = new Link();
    const b = node('b', lease, base);
    const a = node('a', link.through(lease), base);
    a.keeper.start();
    await settle();
    b.keeper.start();
    await advance(base, 1_000);
    link.cut();
    await advance(base, 2_600); // a lost by its clock at +3.5 s; renewals stuck
    link.heal(); // the stuck renewal reaches the store at +3.6 s, where a's lease is still live
    await settle();
    expect(a.keeper.epoch).toBeNull();
    expect(a.events.filter((e) => e.kind === 'lost')).toHaveLength(1);
    await advance(base, 3_000);
    // a gave it back instead of leading late; whoever won it did so with a new epoch.
    const leaders = [a, b].filter((n) => n.keeper.epoch !== null);
    expect(leaders).toHaveLength(1);
    expect(leaders[0]?.keeper.epoch).toBe(2);
  });

  it('stop() releases the lease, so a standby takes over before the TTL', async () => {
    const { base, lease, start } = setup();
    const a = node('a', lease, base);
    const b = node('b', lease, base);
    a.keeper.start();
    await settle();
    b.keeper.start();
    await advance(base, 500);
    await a.keeper.stop();
    expect(a.events.at(-1)).toEqual({ at: start + 500, kind: 'lost', epoch: 1, reason: 'stopped' });
    await advance(base, 1_000);
    expect(b.events).toEqual([{ at: start + 1_000, kind: 'gained', epoch: 2 }]);
  });

  it('stop({ release: false }) (a crash) leaves the standby to wait for the TTL', async () => {
    const { base, lease, start } = setup();
    const a = node('a', lease, base);
    const b = node('b', lease, base);
    a.keeper.start();
    await settle();
    b.keeper.start();
    await advance(base, 500);
    await a.keeper.stop({ release: false });
    await advance(base, 2_400);
    expect(b.events).toEqual([]);
    await advance(base, 200);
    expect(b.events).toEqual([{ at: start + 3_000, kind: 'gained', epoch: 2 }]);
  });

  it('reports a failing store and keeps trying', async () => {
    const { base, lease } = setup();
    let broken = true;
    const flaky: Lease = {
      acquire: async (n, t) => (broken ? Promise.reject(new Error('ECONNREFUSED')) : lease.acquire(n, t)),
      renew: (n, e, t) => lease.renew(n, e, t),
      release: (n, e) => lease.release(n, e),
      current: () => lease.current(),
    };
    const keeper = new LeaseKeeper({ lease: flaky, nodeId: 'a', scheduler: base });
    keepers.push(keeper);
    const errors: unknown[] = [];
    keeper.on('error', (e) => errors.push(e));
    keeper.start();
    await advance(base, 2_000);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(keeper.epoch).toBeNull();
    broken = false;
    await advance(base, 1_000);
    expect(keeper.epoch).toBe(1);
  });

  /** a leads and b stands by on a store that can fail, after `ms`. */
  async function leaderAndStandby(
    ms: number,
    { leadersBefore = 0, bReaches = (store: Lease) => store } = {},
  ) {
    const { base, lease } = setup();
    for (let i = 0; i < leadersBefore; i++) {
      const won = await lease.acquire('x', 1); // so a leads under epoch leadersBefore + 1
      if (won.acquired) await lease.release('x', won.epoch);
    }
    const store = new Outage(lease);
    const a = node('a', store, base);
    const b = node('b', bReaches(store), base);
    a.keeper.start();
    await settle();
    b.keeper.start();
    await advance(base, ms);
    return { base, lease, store, a, b };
  }

  /** Then the store is down for 5 s (longer than the TTL), keeping its data. */
  async function outage(aDiesMeanwhile: boolean) {
    const { base, lease, store, a, b } = await leaderAndStandby(1_000);
    store.down = true; // Redis restarting; it keeps its data (AOF), and its clock runs on
    if (aDiesMeanwhile) await a.keeper.stop({ release: false });
    await advance(base, 5_000);
    expect([a.keeper.epoch, b.keeper.epoch]).toEqual([null, null]);
    expect((await lease.current()).holder).toBeNull(); // the lease ran out in the store too
    store.down = false;
    return { a, b, back: base.now(), base };
  }

  it('after a store outage longer than the TTL, the node that led leads again (a new epoch)', async () => {
    const { a, b, base } = await outage(false);
    await advance(base, 6_000);
    // b saw a lead before the outage: it waits a TTL after the store is back, and a takes it back.
    expect(a.events.at(-1)).toMatchObject({ kind: 'gained', epoch: 2 });
    expect(b.events).toEqual([]);
  });

  it('a standby still takes over after an outage if the old leader does not come back', async () => {
    const { b, back, base } = await outage(true);
    await advance(base, 5_000);
    const gained = b.events.find((e) => e.kind === 'gained');
    expect(gained?.epoch).toBe(2);
    // One TTL of grace for the old leader, then the standby's next round.
    expect(gained!.at - back).toBeGreaterThanOrEqual(3_000);
    expect(gained!.at - back).toBeLessThanOrEqual(4_100);
  });

  it('a store back without its data (epochs handed out again): the node that led still leads again', async () => {
    const { base, store, a, b } = await leaderAndStandby(1_500);
    store.lease = new InProcessLease(base); // no lease, epoch counter back at 0
    // Whoever asks first gets epoch 1 again; b hands it back, so a leads.
    await advance(base, 6_000);
    expect(b.events).toEqual([]);
    expect(a.events.at(-1)).toMatchObject({ kind: 'gained' });
    expect(a.keeper.epoch).not.toBeNull();
  });

  it('back without its data, a standby first: it hands the lease back, and the old leader is not put off by that', async () => {
    let letGo = (): void => {};
    const slowRelease = new Promise<void>((resolve) => (letGo = resolve));
    // b's release hangs until let go, so a sees b holding the epoch it was handed (as in Redis).
    // Someone led once before: a leads under epoch 2, which the empty store will hand out again.
    const { base, store, a, b } = await leaderAndStandby(1_500, {
      leadersBefore: 1,
      bReaches: (store) => ({
        ...bound(store),
        release: async (...r) => (await slowRelease, store.release(...r)),
      }),
    });
    store.lease = new InProcessLease(base);
    await advance(base, 2_000); // b got epoch 1 at 2 s and is handing it back; a has seen it hold it
    letGo();
    await advance(base, 6_000);
    expect(b.events).toEqual([]);
    expect(a.keeper.epoch).not.toBeNull();
  });

  it('back without its data and the old leader dead: the standby leads one TTL later, whatever the old epoch', async () => {
    const { base, store, a, b } = await leaderAndStandby(1_500, { leadersBefore: 5 });
    expect(a.keeper.epoch).toBe(6);
    await a.keeper.stop({ release: false });
    store.lease = new InProcessLease(base);
    const back = base.now();
    await advance(base, 6_000);
    const gained = b.events.find((e) => e.kind === 'gained');
    expect(gained?.epoch).toBe(2); // epoch 1 handed back once, then the next taken
    expect(gained!.at - back).toBeLessThanOrEqual(4_100);
  });

  it('refuses timings where a renewal could not land before the lease runs out', () => {
    expect(resolveLeaseTiming()).toEqual({ ttlMs: 3_000, renewEveryMs: 1_000, safetyMarginMs: 500 });
    expect(() => resolveLeaseTiming({ ttlMs: 1_000, renewEveryMs: 1_000 })).toThrow(RangeError);
    expect(() => resolveLeaseTiming({ safetyMarginMs: 0 })).toThrow(RangeError);
    expect(() => resolveLeaseTiming({ ttlMs: 300, renewEveryMs: 100, safetyMarginMs: 50 })).not.toThrow();
  });
});
