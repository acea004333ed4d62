import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { RedisSessionBook } from '../auth/RedisSessionBook';
import { RedisSessionDirectory } from './RedisSessionDirectory';
import { Lobby, type LobbyConfig } from '../lobby';
import type { Logger } from '../logger';
import type { CallControl, ControlOps } from '../sessions/control';
import type { Scheduler } from '../util/scheduler';
import { bindLeadership } from './leadership';
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
    const unbind = bindLeadership(keeper, replica);
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
    const leading = () => keeper.epoch !== null && replica.role === 'leading';
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
        return new ClusterPlacement({ host, board, bus, watch, timeoutMs: FORWARD_TIMEOUT_MS, log });
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
        });
        unserve.push(await forwarding.serve());
        return forwarding;
      },
      async close() {
        for (const u of unserve) await u();
        media?.watch.close();
        await media?.board.stop();
        await media?.host.close();
        unbind();
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
