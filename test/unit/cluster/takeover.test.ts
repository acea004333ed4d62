// Leadership with desks on a fake clock: a node that gains the lease reads the desks' state before
// leading and serves only once it has taken them over; a leader that loses the lease freezes; it
// carries on if it leads again with nobody else in between (writing the desks back if the store
// lost them), and lets go once another node leads.
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessCommandLog } from '../../../server/src/cluster/InProcessCommandLog';
import { InProcessLease } from '../../../server/src/cluster/InProcessLease';
import { LeaseKeeper } from '../../../server/src/cluster/LeaseKeeper';
import { ReplicatedLobby } from '../../../server/src/cluster/ReplicatedLobby';
import { Takeover, type TakeoverHooks } from '../../../server/src/cluster/Takeover';
import { createLogger } from '../../../server/src/logger';
import { Lobby } from '../../../server/src/lobby';
import {
  EMPTY_DESKS,
  type DeskSnapshot,
  type DeskStore,
  type DeskWrite,
} from '../../../server/src/sessions/DeskStore';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { advance, Link, PausableScheduler, settle } from './helpers';

const log = createLogger('silent');

/** The desks' store in memory (what Redis holds), which can lose everything (back empty). */
class MemoryDesk implements DeskStore {
  entries = new Map<string, DeskWrite>();
  write(change: DeskWrite): void {
    const key = `${change.kind}:${change.id}`;
    if (change.value === null) this.entries.delete(key);
    else this.entries.set(key, change);
  }
  async load(): Promise<DeskSnapshot> {
    const out: DeskSnapshot = { callers: [], wrapUps: [], surveys: [], staff: [], calls: [] };
    for (const w of this.entries.values()) if (w.kind === 'caller' && w.value) out.callers.push(w.value);
    return out;
  }
  async flushed(): Promise<void> {}
}

const CALLER = {
  callerId: 'c1',
  recordId: 'r1',
  language: 'kvk',
  mode: 'video' as const,
  joinedAt: 0,
  resumeKey: 'resume-key-0123456789abcdef',
  callback: false,
  token: null,
};

interface Node {
  id: string;
  keeper: LeaseKeeper;
  takeover: Takeover;
  clock: PausableScheduler;
  link: Link;
  calls: string[];
  taken: DeskSnapshot[];
  /** What this node's desks hold now. */
  holding: DeskSnapshot;
}

const keepers: LeaseKeeper[] = [];
afterEach(async () => {
  for (const k of keepers.splice(0)) await k.stop({ release: false });
});

function setup() {
  const base = new FakeScheduler();
  const lease = new InProcessLease(base);
  const commandLog = new InProcessCommandLog(lease, base);
  const desk = new MemoryDesk();
  const nodes: Node[] = [];
  const add = async (id: string): Promise<Node> => {
    const clock = new PausableScheduler(base);
    const link = new Link();
    const keeper = new LeaseKeeper({ lease: link.through(lease), nodeId: id, scheduler: clock });
    keepers.push(keeper);
    const replica = new ReplicatedLobby({
      log: link.through(commandLog),
      scheduler: clock,
      nodeId: id,
      createLobby: (c) => new Lobby({}, c),
    });
    const takeover = new Takeover({ keeper, replica, desk, log });
    const node: Node = { id, keeper, takeover, clock, link, calls: [], taken: [], holding: EMPTY_DESKS };
    const hooks: TakeoverHooks = {
      takeOver: async (snapshot) => {
        node.calls.push('takeOver');
        node.taken.push(snapshot);
        node.holding = snapshot;
      },
      gatherPresence: async () => {
        node.calls.push('gatherPresence');
      },
      freeze: () => node.calls.push('freeze'),
      thaw: () => node.calls.push('thaw'),
      standDown: () => {
        node.calls.push('standDown');
        node.holding = EMPTY_DESKS;
      },
      stored: () => node.holding,
    };
    takeover.bind(hooks);
    await replica.start();
    keeper.start();
    await settle();
    nodes.push(node);
    return node;
  };
  return { base, desk, add, nodes };
}

describe('Takeover', () => {
  it('the first leader takes over what the store holds, then asks who is there, then serves', async () => {
    const { desk, add } = setup();
    desk.write({ kind: 'caller', id: 'c1', value: CALLER });
    const a = await add('a');
    await settle();
    expect(a.calls).toEqual(['takeOver', 'gatherPresence']);
    expect(a.taken[0]?.callers).toEqual([CALLER]);
    expect(a.takeover.ready).toBe(true);
  });

  it('a crashed leader is replaced: the standby takes over its desks; woken, the old one freezes, then lets go', async () => {
    const { base, desk, add } = setup();
    const a = await add('a');
    const b = await add('b');
    expect(a.takeover.ready).toBe(true);
    expect(b.takeover.ready).toBe(false);
    desk.write({ kind: 'caller', id: 'c1', value: CALLER });

    a.clock.pause();
    a.link.cut();
    await advance(base, 4000);
    expect(b.takeover.ready).toBe(true);
    expect(b.calls).toEqual(['takeOver', 'gatherPresence']);
    expect(b.taken[0]?.callers).toEqual([CALLER]);

    // The old leader wakes: its lease ran out by its own clock. It freezes: nothing of its desks acts.
    a.link.heal();
    a.clock.resume();
    await advance(base, 1000);
    expect(a.takeover.ready).toBe(false);
    expect(a.calls).toEqual(['takeOver', 'gatherPresence', 'freeze']);
    // Once it sees the other node lead, it lets go of everything.
    a.takeover.otherLeader();
    expect(a.calls.at(-1)).toBe('standDown');
    expect(a.holding).toBe(EMPTY_DESKS);
  });

  it('the same node leads again with nobody in between: it thaws (no takeover) and writes back a store that came back empty', async () => {
    const { base, desk, add } = setup();
    const a = await add('a');
    a.holding = { ...EMPTY_DESKS, callers: [CALLER] };
    // Cut from the store longer than the lease, alone: it loses the lease, then wins it back.
    a.link.cut();
    await advance(base, 3500);
    expect(a.takeover.ready).toBe(false);
    expect(a.calls.at(-1)).toBe('freeze');
    desk.entries.clear();
    a.link.heal();
    await advance(base, 5000);
    expect(a.takeover.ready).toBe(true);
    expect(a.calls).toEqual(['takeOver', 'gatherPresence', 'freeze', 'thaw']);
    expect([...desk.entries.values()].map((w) => w.value)).toEqual([CALLER]);
  });

  it('a hand-over lets the desks go at once and the lease with them: the standby takes over within a second', async () => {
    const { base, add } = setup();
    const a = await add('a');
    const b = await add('b');
    a.takeover.standDown();
    await a.keeper.stop({ release: true });
    expect(a.calls.slice(-2)).toEqual(['freeze', 'standDown']);
    await advance(base, 1000);
    expect(b.takeover.ready).toBe(true);
    expect(b.calls).toEqual(['takeOver', 'gatherPresence']);
  });
});
