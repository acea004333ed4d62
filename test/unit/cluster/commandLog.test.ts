// The in-process command log on a fake clock: fenced appends, reads and tails, snapshots and
// trimming, and what is refused when read back.
import { describe, expect, it } from 'vitest';
import { InProcessCommandLog } from '../../../server/src/cluster/InProcessCommandLog';
import { InProcessLease } from '../../../server/src/cluster/InProcessLease';
import { InvalidEntryError, LogTrimmedError, StaleEpochError } from '../../../server/src/cluster/errors';
import { asStored, decodeEntry, decodeSnapshot } from '../../../server/src/cluster/logCodec';
import type { LogEntry } from '../../../server/src/cluster/CommandLog';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { settle } from './helpers';

const TTL = 3_000;

const enqueue = (callerId: string, now: number): LogEntry => ({
  now,
  command: { op: 'enqueueCaller', args: [{ callerId, language: 'kvk', mode: 'video' }] },
});

async function setup() {
  const clock = new FakeScheduler();
  const lease = new InProcessLease(clock);
  const log = new InProcessCommandLog(lease, clock);
  const first = await lease.acquire('a', TTL);
  if (!first.acquired) throw new Error('lease not free');
  return { clock, lease, log, epoch: first.epoch };
}

describe('InProcessCommandLog', () => {
  it('appends under the live epoch at positions 1, 2, 3 and reads them back in order', async () => {
    const { log, epoch, clock } = await setup();
    expect(await log.lastPosition()).toBe(0);
    expect(await log.append(epoch, enqueue('c1', clock.now()))).toBe(1);
    expect(await log.append(epoch, { now: clock.now(), tick: true })).toBe(2);
    expect(await log.append(epoch, enqueue('c2', clock.now()))).toBe(3);
    const all = await log.read(0);
    expect(all.map((r) => [r.position, r.epoch])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    expect(all[1]?.entry).toEqual({ now: clock.now(), tick: true });
    expect((await log.read(1, { count: 1 })).map((r) => r.position)).toEqual([2]);
    expect(await log.read(3)).toEqual([]);
    expect(await log.lastPosition()).toBe(3);
  });

  it('refuses an append from a stale epoch (a newer leader exists) and stays unchanged', async () => {
    const { log, lease, clock, epoch } = await setup();
    await log.append(epoch, enqueue('c1', clock.now()));
    clock.advance(TTL);
    const second = await lease.acquire('b', TTL);
    expect(second).toEqual({ acquired: true, epoch: 2 });
    await expect(log.append(epoch, enqueue('c2', clock.now()))).rejects.toBeInstanceOf(StaleEpochError);
    await expect(log.append(epoch, enqueue('c2', clock.now()))).rejects.toMatchObject({
      code: 'stale-epoch',
      epoch: 1,
    });
    expect(await log.lastPosition()).toBe(1);
    expect(await log.append(2, enqueue('c3', clock.now()))).toBe(2);
  });

  it('refuses an append once the lease expired, even if nobody took it (no current epoch)', async () => {
    const { log, clock, epoch } = await setup();
    clock.advance(TTL);
    await expect(log.append(epoch, enqueue('c1', clock.now()))).rejects.toBeInstanceOf(StaleEpochError);
    expect(await log.read(0)).toEqual([]);
  });

  it('a blocked read wakes on the next append', async () => {
    const { log, epoch, clock } = await setup();
    const pending = log.read(0, { blockMs: 5_000 });
    await settle();
    clock.advance(1_000);
    await log.append(epoch, enqueue('c1', clock.now()));
    expect((await pending).map((r) => r.position)).toEqual([1]);
    expect(clock.pending).toBe(0); // its timeout was cancelled
  });

  it('a blocked read gives up after blockMs (on the injected clock) or when aborted', async () => {
    const { log, clock } = await setup();
    let done = false;
    const pending = log.read(0, { blockMs: 1_000 }).then((r) => ((done = true), r));
    await settle();
    clock.advance(999);
    await settle();
    expect(done).toBe(false);
    clock.advance(1);
    expect(await pending).toEqual([]);

    const abort = new AbortController();
    const aborted = log.read(0, { blockMs: 60_000, signal: abort.signal });
    await settle();
    abort.abort();
    expect(await aborted).toEqual([]);
  });

  it('keeps only a newer snapshot, trims what it covers, and refuses to read across the trim', async () => {
    const { log, epoch, clock } = await setup();
    for (let i = 1; i <= 5; i++) await log.append(epoch, enqueue(`c${i}`, clock.now()));
    expect(await log.latestSnapshot()).toBeNull();
    expect(await log.saveSnapshot({ position: 3, now: 42, state: { any: 'json' } })).toBe(true);
    expect(await log.saveSnapshot({ position: 2, now: 41, state: 'older' })).toBe(false);
    expect(await log.saveSnapshot({ position: 3, now: 42, state: 'same position' })).toBe(false);
    expect(await log.latestSnapshot()).toEqual({ position: 3, now: 42, state: { any: 'json' } });
    expect((await log.read(3)).map((r) => r.position)).toEqual([4, 5]);
    await expect(log.read(2)).rejects.toBeInstanceOf(LogTrimmedError);
    await expect(log.read(0)).rejects.toMatchObject({ code: 'log-trimmed', after: 0, trimmedThrough: 3 });
    expect(await log.lastPosition()).toBe(5); // positions go on after a trim
    expect(await log.append(epoch, enqueue('c6', clock.now()))).toBe(6);
  });
});

describe('log entries read from the network', () => {
  it('are checked: a clear error names the entry and what is wrong', () => {
    expect(() => decodeEntry('{"now":1,"command":{"op":"dropTables","args":[]}}', 'log entry 7')).toThrow(
      /invalid log entry 7: command\.op/,
    );
    expect(() => decodeEntry('{"now":"soon","tick":true}', 'log entry 8')).toThrow(InvalidEntryError);
    expect(() => decodeEntry('{"now":1,"tick":true,"extra":1}', 'x')).toThrow(InvalidEntryError);
    expect(() => decodeEntry('{"now":1,"tick":false}', 'x')).toThrow(InvalidEntryError);
    expect(() => decodeEntry('not json', 'log entry 9')).toThrow(/invalid log entry 9: not JSON/);
    expect(() => decodeSnapshot('{"position":-1,"now":0,"state":null}')).toThrow(/invalid snapshot/);
    expect(decodeEntry('{"now":1,"command":{"op":"endMatch","args":[]}}', 'x')).toEqual({
      now: 1,
      command: { op: 'endMatch', args: [] },
    });
  });

  it('are stored as JSON: the leader applies what standbys will read (undefined becomes null)', () => {
    const entry: LogEntry = { now: 5, command: { op: 'requestInterpreter', args: ['m1', undefined] } };
    expect(asStored(entry)).toEqual({ now: 5, command: { op: 'requestInterpreter', args: ['m1', null] } });
  });
});
