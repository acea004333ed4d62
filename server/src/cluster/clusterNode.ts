import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { RedisSessionBook } from '../auth/RedisSessionBook';
import { RedisSessionDirectory } from './RedisSessionDirectory';
import { Lobby, type LobbyConfig } from '../lobby';
import type { Logger } from '../logger';
import type { CallControl, ControlOps } from '../sessions/control';
import type { Scheduler } from '../util/scheduler';
import type { DeskStore } from '../sessions/DeskStore';
import { LeaderWatch } from './LeaderWatch';
import { RedisDeskStore } from './RedisDeskStore';
import { Takeover, type TakeoverHooks } from './Takeover';
import { LeaseKeeper } from './LeaseKeeper';
import { connectRedisBus } from './RedisBus';
import { RedisCommandLog } from './RedisCommandLog';
import { RedisLease } from './RedisLease';
import { ReplicatedLobby } from './ReplicatedLobby';
import { ReplicatedLobbyEngine } from './ReplicatedLobbyEngine';
import { ForwardingControl } from './ForwardingControl';
import { ClusterPlacement } from './media/ClusterPlacement';
import { cpuShare, LoadBoard } from './media/LoadBoard';
import { HostWatch } from './media/HostWatch';
import { MediaHost } from './media/MediaHost';
import type { MediaPlacement, WorkerPool } from '../media';

/** How long a node waits for the leader, or a call's media host, to answer a forwarded operation. */
const FORWARD_TIMEOUT_MS = 5000;
/**
 * How long a forwarded operation that found no leader keeps being asked again: a lease's TTL (3 s)
 * plus a takeover, within a browser's 15 s answer timeout.
 */
const FORWARD_RETRY_MS = 8000;
/** Where a new leader asks each node about its sockets, and how long it waits for each. */
const PRESENCE_CHANNEL = 'presence';
const PRESENCE_TIMEOUT_MS = 1000;

export interface ClusterNodeOptions {
  redisUrl: string;
  nodeId: string;
  lobbyConfig: Partial<LobbyConfig>;
  scheduler: Scheduler;
  log: Logger;
}

/** What one node of a cluster adds to the embedded app: shared state, one leader, forwarding. */
export interface ClusterNode {
  nodeId: string;
  engine: ReplicatedLobbyEngine;
  sessionBook: RedisSessionBook;
  /** The live calls, readable by every node: host, participants, roles, token hashes. */
  directory: RedisSessionDirectory;
  /** socket.io's adapter: a room's emit reaches every node's sockets. */
  adapter: ReturnType<typeof createAdapter>;
  /** Whether this node leads the lobby (and so runs call control) right now. */
  leading(): boolean;
  /**
   * Serves this node's workers to the cluster and reports their load; the placement it returns
   * puts each new call on the least-loaded node.
   */
  hostMedia(pool: WorkerPool): Promise<MediaPlacement>;
  /** Tells the cluster at once that this node takes no new calls (a deploy is stopping it). */
  setDraining(): Promise<void>;
  /** Call control that forwards to the leader; `local` is this node's own. */
  control(local: CallControl, ops: ControlOps): Promise<CallControl>;
  /** Where the desks keep their state for the next leader (written only while leading). */
  desk: DeskStore;
  /** What this node's desks do when it starts leading (take over) and when it stops (let go). */
  onTakeover(hooks: TakeoverHooks): void;
  /** Answers a new leader's question: which of this node's sockets hold what. */
  servePresence(report: () => unknown): Promise<void>;
  /** A new leader asks every node (1 s each); the answers that came, unread (validate them). */
  gatherPresence(): Promise<unknown[]>;
  /** Called (on every node) when another node, or this one, becomes the leader. */
  onLeaderChange(listener: (leader: string) => void): void;
  /** Gives the lobby's lease away (a draining leader): a standby takes over the desks. */
  handOver(): Promise<void>;
  /**
   * The calls whose media is here move to other nodes (each host-stopped): done while this node's
   * sockets are still connected, so its browsers hear the restart at once; resolves once their
   * pages have left the routers here (or after MOVE_OVERLAP_MS).
   */
  moveHostedCalls(): Promise<void>;
  close(): Promise<void>;
}

/** Connects to Redis (failing fast with a clear message), joins the election and follows the log. */
export async function startClusterNode(options: ClusterNodeOptions): Promise<ClusterNode> {
  const { nodeId, scheduler } = options;
  const log = options.log.child({ module: 'cluster', nodeId });
  const redis = await connect(options.redisUrl, `${nodeId}:main`, log);
  const clients = [redis];
  try {
    const lease = new RedisLease(redis);
    const commandLog = new RedisCommandLog(redis);
    const config = options.lobbyConfig;
    const replica = new ReplicatedLobby({
      log: commandLog,
      scheduler,
      nodeId,
      createLobby: (clock) => new Lobby(config, clock),
      codec: {
        save: (lobby) => lobby.snapshotState(),
        restore: (state, clock) => Lobby.restore(state as never, config, clock),
      },
    });
    replica.on('error', (err) => log.warn({ err }, 'lobby replica'));
    replica.on('role', (role) => log.info({ role }, 'lobby role'));
    replica.on('reseeded', (at) =>
      log.warn(at, 'Redis had lost the lobby log: started it again from this lobby'),
    );
    const keeper = new LeaseKeeper({ lease, nodeId, scheduler });
    keeper.on('gained', ({ epoch }) => log.info({ epoch }, 'leading the lobby'));
    keeper.on('lost', ({ epoch, reason }) => log.warn({ epoch, reason }, 'no longer leading the lobby'));
    keeper.on('error', (err) => log.warn({ err }, 'lease'));
    // The desks' state, written only while this node holds the lease: a deposed leader that has
    // not noticed yet cannot overwrite what its successor took over.
    const redisDesk = new RedisDeskStore(redis, log);
    const desk: DeskStore = {
      write: (change) => {
        if (keeper.epoch !== null) redisDesk.write(change);
      },
      load: () => redisDesk.load(),
      flushed: () => redisDesk.flushed(),
    };
    const takeover = new Takeover({ keeper, replica, desk, log });
    await replica.start();
    keeper.start();

    const quietly = (c: Redis, name: string) => {
      c.on('error', (err: Error) => log.warn({ err, client: name }, 'redis connection'));
      return c;
    };
    const busClient = quietly(redis.duplicate(), 'bus');
    clients.push(busClient);
    const bus = await connectRedisBus(busClient, nodeId, scheduler);
    const adapterClient = quietly(redis.duplicate(), 'adapter');
    clients.push(adapterClient);
    // Leading means serving call control: the lease, the lobby caught up, and the desks taken over.
    const leading = () => keeper.epoch !== null && replica.role === 'leading' && takeover.ready;
    const leaderWatch = new LeaderWatch({ lease, scheduler, log });
    leaderWatch.on('changed', (leader) => {
      if (leader !== nodeId) takeover.otherLeader();
    });
    leaderWatch.start();
    const unserve: Array<() => Promise<void>> = [];
    let media: { host: MediaHost; board: LoadBoard; watch: HostWatch } | null = null;
    let draining = false;

    return {
      nodeId,
      engine: new ReplicatedLobbyEngine(replica),
      sessionBook: new RedisSessionBook(redis),
      directory: new RedisSessionDirectory(redis),
      adapter: createAdapter(adapterClient),
      leading,
      async hostMedia(pool) {
        const host = new MediaHost({ bus, pool, log });
        await host.serve();
        let lastCpu = { at: scheduler.now(), ms: await pool.cpuTimeMs() };
        const board = new LoadBoard({
          redis,
          nodeId,
          scheduler,
          log,
          sample: async () => {
            const now = { at: scheduler.now(), ms: await pool.cpuTimeMs() };
            const workerCpu = cpuShare(lastCpu.ms, now.ms, now.at - lastCpu.at);
            lastCpu = now;
            const { routers, consumers } = host.load();
            return { routers, consumers, workers: pool.workerCount, workerCpu, draining };
          },
        });
        await board.start();
        const watch = new HostWatch({ bus, scheduler, log });
        media = { host, board, watch };
        return new ClusterPlacement({
          host,
          board,
          bus,
          watch,
          controlling: () => keeper.epoch !== null,
          timeoutMs: FORWARD_TIMEOUT_MS,
          log,
        });
      },
      async setDraining() {
        draining = true;
        await media?.board.report();
      },
      async control(local, ops) {
        const forwarding = new ForwardingControl({
          local,
          ops: new Set(Object.keys(ops)),
          bus,
          lease,
          leading,
          timeoutMs: FORWARD_TIMEOUT_MS,
          log,
          scheduler,
          retryForMs: FORWARD_RETRY_MS,
        });
        unserve.push(await forwarding.serve());
        return forwarding;
      },
      desk,
      onTakeover: (hooks) => takeover.bind(hooks),
      async servePresence(report) {
        unserve.push(await bus.handle(PRESENCE_CHANNEL, () => report()));
      },
      async gatherPresence() {
        // Every node that reported its load lately (the dead one too: it answers nothing, at once).
        const nodes = media ? (await media.board.read()).map((l) => l.nodeId) : [nodeId];
        const answers = await Promise.all(
          nodes.map((id) =>
            bus.request(id, PRESENCE_CHANNEL, null, PRESENCE_TIMEOUT_MS).then(
              (r) => r,
              () => null,
            ),
          ),
        );
        return answers.filter((a) => a !== null);
      },
      onLeaderChange: (listener) => leaderWatch.on('changed', listener),
      async moveHostedCalls() {
        // Leaving the load board first: nobody places a call here while they move.
        await media?.board.stop();
        await media?.host.close(MOVE_OVERLAP_MS);
      },
      async handOver() {
        // The desks are let go of (not ended) and their last writes land before the lease goes,
        // so the standby that takes it reads them all.
        takeover.standDown();
        await desk.flushed();
        await keeper.stop({ release: true });
      },
      async close() {
        leaderWatch.stop();
        for (const u of unserve) await u();
        media?.watch.close();
        await media?.board.stop();
        await media?.host.close();
        takeover.close();
        await desk.flushed();
        await keeper.stop({ release: true });
        replica.close();
        await bus.close();
        for (const c of clients) c.disconnect();
      },
    };
  } catch (err) {
    for (const c of clients) c.disconnect();
    throw err;
  }
}

/**
 * How long a stopping node's routers go on forwarding after its calls were told to move: pages set
 * media up on the new host first and close what they had here after, so a drain cuts no video.
 */
const MOVE_OVERLAP_MS = 10_000;

/** Redis did not answer at start: a configuration or operations problem, told in one line. */
export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

/** A connected client, or a clear error naming the server (never the password) within seconds. */
async function connect(url: string, name: string, log: Logger): Promise<Redis> {
  const client = new Redis(url, { connectionName: name, lazyConnect: true, maxRetriesPerRequest: 3 });
  // ioredis reconnects on its own; each failure is told here (its duplicates inherit nothing, so
  // they get their own listener below).
  client.on('error', (err: Error) => log.warn({ err, client: name }, 'redis connection'));
  try {
    // ioredis keeps retrying a server that is not there; at start, that is a configuration error.
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in 5 s')), 5000).unref()),
    ]);
    return client;
  } catch (err) {
    client.disconnect();
    const where = new URL(url);
    const reason = err instanceof Error ? err.message : String(err);
    throw new RedisUnreachableError(
      `cannot connect to Redis at ${where.hostname}:${where.port || '6379'}: ${reason}`,
      {
        cause: err,
      },
    );
  }
}
