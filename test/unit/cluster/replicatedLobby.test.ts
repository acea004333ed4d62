// The replicated lobby on a fake clock: the leader appends then applies, standbys apply the same
// entries, a stale leader changes nothing, and a new leader picks up where the old one stopped.
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandLog } from '../../../server/src/cluster/CommandLog';
import { NotLeaderError, StaleEpochError } from '../../../server/src/cluster/errors';
import { InProcessCommandLog } from '../../../server/src/cluster/InProcessCommandLog';
import { InProcessLease } from '../../../server/src/cluster/InProcessLease';
import { ReplicatedLobby, RESEED_GAP } from '../../../server/src/cluster/ReplicatedLobby';
import { Lobby, type LobbyCommand } from '../../../server/src/lobby';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { ALL_WEEK } from '../lobby/helpers';
import { eventsOf, stateOf, TestCluster } from './cluster';
import { ReplayCodec, settle } from './helpers';

const agent = (agentId: string, languages: string[]): LobbyCommand[] => [
  { op: 'upsertAgent', args: [{ agentId, languages }] },
  { op: 'setAgentPresence', args: [agentId, 'available'] },
];
const caller = (callerId: string, language: string): LobbyCommand => ({
  op: 'enqueueCaller',
  args: [{ callerId, language, mode: 'video' }],
});

let cluster: TestCluster;
afterEach(async () => {
  await cluster.close();
});

async function twoNodes(options: ConstructorParameters<typeof TestCluster>[0] = {}) {
  cluster = new TestCluster(options);
  const a = await cluster.addNode('a');
  const b = await cluster.addNode('b');
  await settle();
  expect(a.replica.role).toBe('leading');
  expect(b.replica.role).toBe('following');
  return { a, b };
}

describe('ReplicatedLobby', () => {
  it('applies on the standby what the leader ran, with the same now, events and state', async () => {
    const { a, b } = await twoNodes();
    for (const c of agent('ag1', ['kvk'])) await cluster.run(c);
    await cluster.advance(1_234);
    const r = await cluster.run(caller('c1', 'kvk'));
    expect(r.ok).toBe(true);
    await cluster.caughtUp([b]);
    expect(b.replica.position).toBe(3);
    expect(stateOf(b.replica)).toEqual(stateOf(a.replica));
    expect(b.applied.map((x) => [x.entry.now, x.events])).toEqual(
      a.applied.map((x) => [x.entry.now, x.events]),
    );
    expect(a.applied.every((x) => x.appendedHere)).toBe(true);
    expect(b.applied.some((x) => x.appendedHere)).toBe(false);
    expect(eventsOf(b, 'offer')).toHaveLength(1);
  });

  it('logs a refused command too, and it is refused alike everywhere (changing nothing)', async () => {
    const { a, b } = await twoNodes();
    const r = await cluster.run({ op: 'acceptOffer', args: ['nobody', 'no-offer'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await cluster.caughtUp([b]);
    expect(b.applied[0]?.result).toEqual(r);
    expect(stateOf(b.replica)).toEqual(stateOf(a.replica));
  });

  it('a stale deadline that matters again (a requeued caller) fires in the same order everywhere', async () => {
    // The lobby drops stale deadlines lazily when nextDeadline() looks; c0's long-wait is stale while
    // c0 is in a call and live again once requeued. Every node must drop it at the same moment.
    const { a, b } = await twoNodes({ config: { fallbackAfterMs: 15_000 } });
    for (const c of agent('ag1', ['ko'])) await cluster.run(c);
    await cluster.run(caller('c0', 'ko'));
    await cluster.run({
      op: 'acceptOffer',
      args: ['ag1', a.replica.lobby.inspect().offers[0]?.offerId ?? ''],
    });
    await cluster.run(caller('c1', 'ko')); // same instant as c0: their long-waits are due together
    await cluster.advance(1_000);
    await cluster.run({ op: 'requeueCaller', args: [a.replica.lobby.inspect().matches[0]?.matchId ?? ''] });
    await cluster.advance(14_000);
    await cluster.caughtUp([b]);
    const fallbacks = (n: typeof a) =>
      eventsOf(n, 'fallback-available').flatMap((e) =>
        e.type === 'fallback-available' && e.reason === 'long-wait' ? [e.callerId] : [],
      );
    expect(fallbacks(a).sort()).toEqual(['c0', 'c1']);
    expect(fallbacks(b)).toEqual(fallbacks(a));
    expect(stateOf(b.replica)).toEqual(stateOf(a.replica));
  });

  it('a standby does not run commands: NotLeaderError, nothing appended', async () => {
    const { b } = await twoNodes();
    await expect(b.replica.run(caller('c1', 'ko'))).rejects.toBeInstanceOf(NotLeaderError);
    expect(await cluster.log.lastPosition()).toBe(0);
  });

  it("the leader's timer ticks into the log; a standby applies the tick and never ticks on its own", async () => {
    const { a, b } = await twoNodes({ config: { offerTimeoutMs: 2_000 } });
    for (const c of agent('ag1', ['ko'])) await cluster.run(c);
    await cluster.run(caller('c1', 'ko'));
    await cluster.advance(2_000);
    await cluster.caughtUp([b]);
    const tick = a.applied.find((x) => 'tick' in x.entry);
    expect(tick?.events.map((e) => e.type)).toContain('offer-expired');
    expect(eventsOf(b, 'offer-expired')).toHaveLength(1);
    expect(stateOf(b.replica)).toEqual(stateOf(a.replica));

    // With the leader frozen (shorter than its lease), a deadline passes and nobody ticks: the
    // standby waits for the log. When the leader wakes, its late timer ticks, once.
    a.clock.pause();
    const before = stateOf(b.replica);
    const due = b.replica.lobby.nextDeadline();
    expect(due).toBe(cluster.base.now() + 2_000); // the re-offer's expiry
    await cluster.advance(2_100);
    expect(b.replica.role).toBe('following');
    expect(stateOf(b.replica)).toEqual(before);
    a.clock.resume();
    await cluster.caughtUp([b]);
    expect(eventsOf(b, 'offer-expired')).toHaveLength(2);
    expect(stateOf(b.replica)).toEqual(stateOf(a.replica));
  });

  it('split timing: a leader paused mid-command past its TTL wakes to a refused append and steps down', async () => {
    const { a, b } = await twoNodes();
    await cluster.run(caller('c1', 'ko'));
    // a takes a command; before its append reaches the store, the process freezes.
    a.link.cut();
    const stale = a.replica.run(caller('c2', 'ko'));
    await settle();
    a.clock.pause();
    await cluster.advance(4_000); // b's keeper sees a's lease expire and takes over with epoch 2
    expect(b.replica.role).toBe('leading');
    expect(b.replica.epoch).toBe(2);
    await cluster.run(caller('c3', 'ko'));
    const bState = stateOf(b.replica);

    a.link.heal(); // the old append reaches the store now: refused by the fence
    await expect(stale).rejects.toBeInstanceOf(StaleEpochError);
    expect(a.replica.role).toBe('following');
    const appliedOnA = a.applied.map((x) => ('command' in x.entry ? x.entry.command.args[0] : 'tick'));
    expect(appliedOnA).not.toContainEqual(expect.objectContaining({ callerId: 'c2' })); // never applied
    // Awake again, a refuses new commands by its own clock before even trying to append.
    a.clock.resume();
    await settle();
    await expect(a.replica.run(caller('c4', 'ko'))).rejects.toBeInstanceOf(NotLeaderError);
    await cluster.caughtUp([a]);
    expect(stateOf(a.replica)).toEqual(stateOf(b.replica));
    expect(stateOf(b.replica)).toEqual(bState);
    const queued = b.replica.lobby.inspect().queue.map((q) => q.callerId);
    expect(queued).toEqual(['c1', 'c3']); // c2 was never applied anywhere
    const positions = (await cluster.log.read(0)).map((r) => [r.position, r.epoch]);
    expect(positions).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('renewal failing mid-command: the command is not applied and the caller gets a typed error', async () => {
    const { a, b } = await twoNodes();
    await cluster.run(caller('c1', 'ko'));
    // A partition: a keeps running, but nothing it sends gets through (its renewals neither).
    a.link.cut();
    const pending = a.replica.run(caller('c2', 'ko'));
    let settled = false;
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await cluster.advance(2_600);
    // Leadership ended by a's clock (last renewal sent at +2 s at the latest, + 2.5 s), before the TTL.
    expect(a.keeper.epoch).toBeNull();
    expect(a.replica.role).toBe('following');
    expect(settled).toBe(false); // the append is still in flight
    await cluster.advance(2_000);
    expect(b.replica.role).toBe('leading');
    a.link.heal();
    await expect(pending).rejects.toBeInstanceOf(StaleEpochError);
    await cluster.caughtUp([a, b]);
    expect(a.replica.lobby.inspect().queue.map((q) => q.callerId)).toEqual(['c1']);
    expect(stateOf(a.replica)).toEqual(stateOf(b.replica));
    expect(await cluster.log.lastPosition()).toBe(1);
  });

  it('takeover: catches up first, and deadlines that fell due in the gap fire exactly once', async () => {
    const { a, b } = await twoNodes({ config: { offerTimeoutMs: 2_000 } });
    for (const c of agent('ag1', ['ko'])) await cluster.run(c);
    await cluster.run(caller('c1', 'ko')); // an offer that expires in 2 s
    const offer = eventsOf(a, 'offer')[0];
    expect(offer).toBeDefined();
    a.crash(); // before the offer expires
    await cluster.advance(4_000); // the deadline passes with no leader; b takes over after the TTL
    expect(b.replica.role).toBe('leading');
    await cluster.caughtUp([b]);
    const expired = eventsOf(b, 'offer-expired');
    expect(expired).toHaveLength(1);
    const tick = b.applied.find((x) => 'tick' in x.entry);
    expect(tick?.appendedHere).toBe(true);
    expect(tick?.entry.now).toBeGreaterThan((offer as { expiresAt: number }).expiresAt);
    await cluster.advance(10_000);
    // Nobody answers: every offer expires, once (until the agent is set away for missing them).
    const offerIds = (type: 'offer' | 'offer-expired') =>
      eventsOf(b, type).map((e) => (e as { offerId: string }).offerId);
    expect(offerIds('offer-expired')).toEqual(offerIds('offer'));

    a.wake(); // the old leader is back: it follows, and applies b's ticks once each
    await settle();
    expect(a.replica.role).toBe('following');
    await cluster.caughtUp([a]);
    expect(stateOf(a.replica)).toEqual(stateOf(b.replica));
    expect(eventsOf(a, 'offer-expired')).toEqual(eventsOf(b, 'offer-expired'));
    const seen = a.applied.map((x) => x.position);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('a new leader whose clock is behind never takes time backwards', async () => {
    cluster = new TestCluster({ skewMs: { b: -60_000 } });
    const a = await cluster.addNode('a');
    const b = await cluster.addNode('b');
    await cluster.run(caller('c1', 'ko'));
    a.crash();
    await cluster.advance(4_000);
    expect(b.replica.role).toBe('leading');
    await cluster.run(caller('c2', 'ko'));
    const nows = (await cluster.log.read(0)).map((r) => r.entry.now);
    expect(nows[1]).toBeGreaterThanOrEqual(nows[0] ?? Infinity);
  });

  it('snapshots every N entries and trims the log; a late node restores from the snapshot', async () => {
    const codec = new ReplayCodec();
    const { a } = await twoNodes({ codec, snapshotEvery: 5 });
    await cluster.run({
      op: 'upsertVolunteer',
      args: [{ volunteerId: 'v1', languages: ['vi'], weeklyHours: ALL_WEEK }],
    });
    for (const c of agent('ag1', ['ko'])) await cluster.run(c);
    for (let i = 0; i < 9; i++) await cluster.run(caller(`c${i}`, i % 2 === 0 ? 'vi' : 'ko'));
    await settle();
    expect(await cluster.log.lastPosition()).toBe(12);
    expect((await cluster.log.latestSnapshot())?.position).toBe(10);
    expect(codec.saves).toBe(2);
    await expect(cluster.log.read(0)).rejects.toMatchObject({ code: 'log-trimmed' });
    const c = await cluster.addNode('c');
    await cluster.caughtUp([c]);
    expect(codec.restores).toBe(1);
    expect(c.applied.map((x) => x.position)).toEqual([11, 12]);
    expect(stateOf(c.replica)).toEqual(stateOf(a.replica));
  });

  it('a standby left behind a trim restores from the snapshot and goes on', async () => {
    const codec = new ReplayCodec();
    const { a, b } = await twoNodes({ codec, snapshotEvery: 4 });
    await cluster.run(caller('c0', 'ko'));
    await cluster.caughtUp([b]);
    b.crash();
    for (let i = 1; i < 10; i++) await cluster.run(caller(`c${i}`, 'ko'));
    b.wake();
    await cluster.caughtUp([b]);
    expect(codec.restores).toBe(1);
    expect(stateOf(b.replica)).toEqual(stateOf(a.replica));
  });

  it('Redis back empty: the new leader starts the log again from its lobby; the standby restores it', async () => {
    const codec = new ReplayCodec();
    const { a, b } = await twoNodes({ codec });
    await cluster.run({ op: 'upsertAgent', args: [{ agentId: 'ag1', languages: ['ko'] }] });
    for (const id of ['c1', 'c2']) await cluster.run(caller(id, 'kvk'));
    await cluster.caughtUp([b]);
    const waiting = (n: typeof a) => n.replica.lobby.snapshotState().line.callers.map((c) => c.id);
    const before = { position: a.replica.position, waiting: waiting(a) };
    expect(before.waiting).toEqual(['c1', 'c2']);

    cluster.storeComesBackEmpty();
    await cluster.advance(5_000); // renewals refused: the lease is sought again, and won
    const leader = cluster.leader();
    const standby = leader === a ? b : a;
    expect(leader.replica.position).toBe(before.position + RESEED_GAP);
    expect((await cluster.log.latestSnapshot())?.position).toBe(before.position + RESEED_GAP);
    // A new command goes through the new log, and both lobbies still hold the two callers.
    expect((await cluster.run(caller('c3', 'kvk'))).ok).toBe(true);
    await cluster.caughtUp([standby]);
    expect(stateOf(standby.replica)).toEqual(stateOf(leader.replica));
    expect(waiting(standby)).toEqual(['c1', 'c2', 'c3']);
  });

  it('an AOF older than the leader: its append lands on a used position, so it reseeds and appends again', async () => {
    const codec = new ReplayCodec();
    const { a, b } = await twoNodes({ codec });
    for (const id of ['c1', 'c2']) await cluster.run(caller(id, 'kvk'));
    await cluster.caughtUp([b]);
    // The store forgets the log but not the lease (the lease was written before the lost second).
    const epoch = a.replica.epoch!;
    cluster.storeComesBackEmpty();
    await cluster.lease.acquire('a', 60_000); // the same epoch number again: a fresh counter
    expect((await cluster.lease.current()).holder?.epoch).toBe(epoch);
    const r = await a.replica.run(caller('c3', 'kvk'));
    expect(r.ok).toBe(true);
    expect(a.replica.position).toBe(2 + RESEED_GAP + 1);
    await cluster.caughtUp([b]);
    expect(stateOf(b.replica)).toEqual(stateOf(a.replica));
  });

  it('without a codec there are no snapshots: a late node replays the log from the start', async () => {
    const { a } = await twoNodes();
    for (let i = 0; i < 7; i++) await cluster.run(caller(`c${i}`, 'ko'));
    const c = await cluster.addNode('c');
    await cluster.caughtUp([c]);
    expect(await cluster.log.latestSnapshot()).toBeNull();
    expect(c.applied.map((x) => x.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(stateOf(c.replica)).toEqual(stateOf(a.replica));
  });

  it('an append whose answer was lost: the leader reads the log before its next append', async () => {
    cluster = new TestCluster(); // (unused here; closed by afterEach)
    const clock = new FakeScheduler();
    const lease = new InProcessLease(clock);
    const log = new InProcessCommandLog(lease, clock);
    let loseNextReply = false;
    // The append reaches the store, but its answer never comes back (a connection reset).
    const lossy = new Proxy(log, {
      get(target, key) {
        if (key === 'append') {
          return async (...args: Parameters<CommandLog['append']>) => {
            const position = await target.append(...args);
            if (!loseNextReply) return position;
            loseNextReply = false;
            throw new Error('connection reset');
          };
        }
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const won = await lease.acquire('a', 60_000);
    if (!won.acquired) throw new Error('lease taken');
    const make = (l: CommandLog) =>
      new ReplicatedLobby({ log: l, scheduler: clock, createLobby: (c) => new Lobby({}, c) });
    const leader = make(lossy);
    const standby = make(log);
    await leader.lead(won.epoch);
    await standby.start();
    await leader.run(caller('c1', 'ko'));
    loseNextReply = true;
    await expect(leader.run(caller('c2', 'ko'))).rejects.toThrow('connection reset');
    expect(leader.position).toBe(1); // not applied here yet: it does not know whether it happened
    await leader.run(caller('c3', 'ko'));
    expect(leader.lobby.inspect().queue.map((q) => q.callerId)).toEqual(['c1', 'c2', 'c3']);
    await settle();
    expect(stateOf(standby)).toEqual(stateOf(leader));
    leader.close();
    standby.close();
  });
});
