// The command log on both implementations, against a real Redis for one of them: the fence in the
// atomic append, the blocking tail (XREAD BLOCK), snapshots and trimming (XTRIM MINID), and
// entries that are refused when read back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../server/src/cluster/CommandLog';
import { InvalidEntryError, LogTrimmedError, StaleEpochError } from '../../../server/src/cluster/errors';
import { lobbyKeys } from '../../../server/src/cluster/redisKeys';
import { backends, sleep, type NodeStores, type Store } from './backends';

const TTL = 300;
const entry = (callerId: string): LogEntry => ({
  now: Date.now(),
  command: { op: 'enqueueCaller', args: [{ callerId, language: 'kvk', mode: 'video' }] },
});

describe.each(backends)('command log ($name)', (backend) => {
  let store: Store;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  afterEach(() => store.close());

  async function leaderAndStandby(): Promise<{ a: NodeStores; b: NodeStores; epoch: number }> {
    store = await backend.store();
    const a = await store.node('a');
    const b = await store.node('b');
    const won = await a.lease.acquire('a', TTL);
    if (!won.acquired) throw new Error('lease taken');
    return { a, b, epoch: won.epoch };
  }

  it('appends under the live epoch; the other node reads the same records in order', async () => {
    const { a, b, epoch } = await leaderAndStandby();
    expect(await a.log.append(epoch, entry('c1'))).toBe(1);
    expect(await a.log.append(epoch, { now: 5, tick: true })).toBe(2);
    const records = await b.log.read(0);
    expect(records.map((r) => [r.position, r.epoch])).toEqual([
      [1, epoch],
      [2, epoch],
    ]);
    expect(records[1]?.entry).toEqual({ now: 5, tick: true });
    expect(await b.log.lastPosition()).toBe(2);
  });

  it('fencing: once another node holds the lease, the old epoch cannot append a single entry', async () => {
    const { a, b, epoch } = await leaderAndStandby();
    await a.log.append(epoch, entry('c1'));
    await sleep(TTL + 50);
    const won = await b.lease.acquire('b', TTL);
    expect(won).toEqual({ acquired: true, epoch: epoch + 1 });
    await expect(a.log.append(epoch, entry('c2'))).rejects.toBeInstanceOf(StaleEpochError);
    expect(await b.log.lastPosition()).toBe(1);
    expect(await b.log.append(epoch + 1, entry('c3'))).toBe(2);
    expect((await a.log.read(0)).map((r) => r.epoch)).toEqual([epoch, epoch + 1]);
  });

  it('reseed (the store lost the log): fenced; the log starts again at the snapshot, the epoch counter raised', async () => {
    const { a, b, epoch } = await leaderAndStandby();
    await a.log.append(epoch, entry('c1'));
    await a.log.append(epoch, entry('c2'));
    const snapshot = { position: 1_000_002, now: 7, state: { lobby: 'as the leader had it' } };
    await expect(a.log.reseed(epoch + 1, snapshot, 9)).rejects.toBeInstanceOf(StaleEpochError);
    await a.log.reseed(epoch, snapshot, epoch + 9);
    expect(await b.log.lastPosition()).toBe(1_000_002);
    expect(await b.log.latestSnapshot()).toEqual(snapshot);
    // A node behind it restores the snapshot; the next append follows it.
    await expect(b.log.read(2)).rejects.toBeInstanceOf(LogTrimmedError);
    expect(await a.log.append(epoch, entry('c3'))).toBe(1_000_003);
    expect((await b.log.read(1_000_002)).map((r) => r.position)).toEqual([1_000_003]);
    // Where the log keeps the epoch counter (Redis), the next election's epoch is above the floor.
    if (backend.name === 'redis') {
      await sleep(TTL + 50);
      expect(await b.lease.acquire('b', TTL)).toEqual({ acquired: true, epoch: epoch + 10 });
    }
  });

  it('fencing: an expired lease fences its epoch even when nobody took over', async () => {
    const { a, epoch } = await leaderAndStandby();
    await sleep(TTL + 50);
    await expect(a.log.append(epoch, entry('c1'))).rejects.toMatchObject({ code: 'stale-epoch' });
    expect(await a.log.lastPosition()).toBe(0);
  });

  it('a blocked tail wakes as soon as the leader appends', async () => {
    const { a, b, epoch } = await leaderAndStandby();
    const started = Date.now();
    const tail = b.log.read(0, { blockMs: 3_000 });
    await sleep(100);
    await a.log.append(epoch, entry('c1'));
    const records = await tail;
    expect(records.map((r) => r.position)).toEqual([1]);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('a blocked tail answers nothing after blockMs, or at once when aborted', async () => {
    const { b } = await leaderAndStandby();
    let started = Date.now();
    expect(await b.log.read(0, { blockMs: 200 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const abort = new AbortController();
    started = Date.now();
    const tail = b.log.read(0, { blockMs: 10_000, signal: abort.signal });
    await sleep(100);
    abort.abort();
    expect(await tail).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000); // not the 10 s it would have blocked
  });

  it('snapshots: only a newer one is kept, the entries it covers are trimmed, reading across fails', async () => {
    const { a, b, epoch } = await leaderAndStandby();
    for (let i = 1; i <= 6; i++) await a.log.append(epoch, entry(`c${i}`));
    expect(await b.log.latestSnapshot()).toBeNull();
    expect(await a.log.saveSnapshot({ position: 4, now: 123, state: { queue: ['c5', 'c6'] } })).toBe(true);
    expect(await a.log.saveSnapshot({ position: 3, now: 100, state: null })).toBe(false);
    expect(await b.log.latestSnapshot()).toEqual({ position: 4, now: 123, state: { queue: ['c5', 'c6'] } });
    expect((await b.log.read(4)).map((r) => r.position)).toEqual([5, 6]);
    await expect(b.log.read(3)).rejects.toBeInstanceOf(LogTrimmedError);
    await expect(b.log.read(0)).rejects.toMatchObject({ trimmedThrough: 4 });
    expect(await a.log.append(epoch, entry('c7'))).toBe(7);
    if (b.redis !== undefined && store.prefix !== undefined) {
      expect(await b.redis.xlen(lobbyKeys(store.prefix).log)).toBe(3); // bounded: 5, 6, 7
    }
  });

  if (backend.name === 'redis') {
    it('refuses a record that is not what a leader writes, with a clear error', async () => {
      const { a, b, epoch } = await leaderAndStandby();
      await a.log.append(epoch, entry('c1'));
      const keys = lobbyKeys(store.prefix);
      await b.redis?.xadd(
        keys.log,
        '2-0',
        'epoch',
        String(epoch),
        'entry',
        '{"now":1,"command":{"op":"rm -rf","args":[]}}',
      );
      await expect(b.log.read(1)).rejects.toThrow(InvalidEntryError);
      await expect(b.log.read(1)).rejects.toThrow(/invalid log entry 2: command\.op/);
      await b.redis?.xadd(keys.log, '3-0', 'junk', 'x');
      await expect(b.log.read(2)).rejects.toThrow(/log record 3-0/);
    });
  }
});
