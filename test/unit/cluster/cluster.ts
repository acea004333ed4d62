// A small cluster in one process on one fake clock: N nodes, each with its own (pausable) view of
// the clock, its own (cuttable) link to the shared in-process lease and log, a LeaseKeeper and a
// ReplicatedLobby wired together as a node would wire them.
import { Lobby } from '../../../server/src/lobby';
import type { LobbyCommand, LobbyConfig, LobbyEvent, LobbyResult } from '../../../server/src/lobby';
import { InProcessCommandLog } from '../../../server/src/cluster/InProcessCommandLog';
import { InProcessLease } from '../../../server/src/cluster/InProcessLease';
import { LeaseKeeper } from '../../../server/src/cluster/LeaseKeeper';
import { bindLeadership } from '../../../server/src/cluster/leadership';
import { ReplicatedLobby, type AppliedEntry } from '../../../server/src/cluster/ReplicatedLobby';
import type { Scheduler } from '../../../server/src/util/scheduler';
import { FakeScheduler } from '../../helpers/FakeScheduler';
import { MONDAY_10_KST } from '../lobby/helpers';
import { advance, Link, PausableScheduler, settle, type ReplayCodec } from './helpers';

export interface TestNode {
  id: string;
  clock: PausableScheduler;
  link: Link;
  keeper: LeaseKeeper;
  replica: ReplicatedLobby;
  applied: AppliedEntry[];
  errors: unknown[];
  /** A frozen process cut off from the store (a crash, as far as anyone can tell). */
  crash(): void;
  /** The process wakes up and its link comes back. */
  wake(): void;
}

export interface ClusterOptions {
  config?: Partial<LobbyConfig>;
  codec?: ReplayCodec;
  snapshotEvery?: number;
  /** Shifts one node's clock (clock skew between machines). */
  skewMs?: Record<string, number>;
}

export class TestCluster {
  readonly base = new FakeScheduler(MONDAY_10_KST);
  #store = this.#emptyStore();
  /** What every node reaches through its link: whichever store is current (see storeComesBackEmpty). */
  readonly #reached = { lease: forwardTo(() => this.#store.lease), log: forwardTo(() => this.#store.log) };
  readonly nodes = new Map<string, TestNode>();

  constructor(private readonly options: ClusterOptions = {}) {}

  get lease(): InProcessLease {
    return this.#store.lease;
  }

  get log(): InProcessCommandLog {
    return this.#store.log;
  }

  /** Redis restarted without its data (AOF lost): no lease, no epoch counter, an empty log. */
  storeComesBackEmpty(): void {
    void this.#store.log.close();
    this.#store = this.#emptyStore();
  }

  #emptyStore() {
    const lease = new InProcessLease(this.base);
    return { lease, log: new InProcessCommandLog(lease, this.base) };
  }

  /** Adds a node and starts it (snapshot, then following); its keeper seeks the lease. */
  async addNode(id: string): Promise<TestNode> {
    const skew = this.options.skewMs?.[id] ?? 0;
    const skewed: Scheduler = {
      now: () => this.base.now() + skew,
      after: (ms, fn) => this.base.after(ms, fn),
    };
    const clock = new PausableScheduler(skewed);
    const link = new Link();
    const keeper = new LeaseKeeper({
      lease: link.through(this.#reached.lease),
      nodeId: id,
      scheduler: clock,
    });
    const { config = {}, codec, snapshotEvery } = this.options;
    const replica = new ReplicatedLobby({
      log: link.through(this.#reached.log),
      scheduler: clock,
      createLobby: (c) => new Lobby(config, c),
      nodeId: id,
      ...(codec === undefined ? {} : { codec }),
      ...(snapshotEvery === undefined ? {} : { snapshotEvery }),
    });
    const node: TestNode = {
      id,
      clock,
      link,
      keeper,
      replica,
      applied: [],
      errors: [],
      crash: () => {
        clock.pause();
        link.cut();
      },
      wake: () => {
        link.heal();
        clock.resume();
      },
    };
    replica.on('applied', (a) => {
      node.applied.push(a);
      codec?.record(replica.lobby, a.entry);
    });
    replica.on('error', (e) => node.errors.push(e));
    keeper.on('error', (e) => node.errors.push(e));
    bindLeadership(keeper, replica);
    this.nodes.set(id, node);
    await replica.start();
    keeper.start();
    await settle();
    return node;
  }

  node(id: string): TestNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  /** The one node leading, among those not frozen (a frozen one may still think it leads). */
  leader(): TestNode {
    const leaders = [...this.nodes.values()].filter((n) => n.replica.role === 'leading' && !n.clock.paused);
    if (leaders.length !== 1)
      throw new Error(`expected one leader, found ${leaders.map((n) => n.id).join(',')}`);
    return leaders[0] as TestNode;
  }

  async run(command: LobbyCommand): Promise<LobbyResult<unknown>> {
    const result = await this.leader().replica.run(command);
    await settle();
    return result;
  }

  advance(ms: number): Promise<void> {
    return advance(this.base, ms);
  }

  /** Lets followers apply everything the log has. */
  async caughtUp(nodes: TestNode[]): Promise<void> {
    await settle(); // whatever the leader is appending lands first
    const end = await this.log.lastPosition();
    for (let i = 0; i < 50 && nodes.some((n) => n.replica.position < end); i++) await settle();
  }

  async close(): Promise<void> {
    for (const n of this.nodes.values()) {
      n.replica.close();
      await n.keeper.stop({ release: false });
    }
    await this.log.close();
  }
}

/** An object whose methods are those of `current()` at each call, bound to it. */
function forwardTo<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get: (_, key) => {
      const target = current();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** What must be equal on every node at the same position. */
export function stateOf(replica: ReplicatedLobby): unknown {
  const lobby = replica.lobby;
  return {
    position: replica.position,
    inspect: lobby.inspect(),
    snapshot: lobby.snapshot(),
    nextDeadline: lobby.nextDeadline(),
  };
}

export function eventsOf(node: TestNode, type: LobbyEvent['type']): LobbyEvent[] {
  return node.applied.flatMap((a) => a.events.filter((e) => e.type === type));
}
