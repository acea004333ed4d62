// The two implementations behind one face, so each suite runs on both: in memory (the default of
// a single node) and a real Redis (its own redis-server for the test file). Every test gets a
// fresh store (on Redis: a new key prefix), and every node its own connection.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Bus } from '../../../server/src/cluster/Bus';
import type { CommandLog } from '../../../server/src/cluster/CommandLog';
import { InProcessBusNetwork } from '../../../server/src/cluster/InProcessBus';
import { InProcessCommandLog } from '../../../server/src/cluster/InProcessCommandLog';
import { InProcessLease } from '../../../server/src/cluster/InProcessLease';
import type { Lease } from '../../../server/src/cluster/Lease';
import { connectRedisBus } from '../../../server/src/cluster/RedisBus';
import { RedisCommandLog } from '../../../server/src/cluster/RedisCommandLog';
import { RedisLease } from '../../../server/src/cluster/RedisLease';
import { realScheduler } from '../../../server/src/util/scheduler';
import { startRedis, type TestRedis } from '../../helpers/redis';

/** What one node sees of the shared store. */
export interface NodeStores {
  lease: Lease;
  log: CommandLog;
  bus: Bus;
  /** Redis only: the node's own connection (for raw checks). */
  redis?: Redis;
}

export interface Store {
  /** Node `nodeId`'s connection to this store. */
  node(nodeId: string): Promise<NodeStores>;
  /** Redis key prefix of this store (Redis only). */
  prefix?: string;
  close(): Promise<void>;
}

export interface Backend {
  name: 'in-process' | 'redis';
  start(): Promise<void>;
  store(): Promise<Store>;
  stop(): Promise<void>;
}

export const scheduler = realScheduler();

export const inProcess: Backend = {
  name: 'in-process',
  async start() {},
  async stop() {},
  async store() {
    const lease = new InProcessLease(scheduler);
    const log = new InProcessCommandLog(lease, scheduler);
    const network = new InProcessBusNetwork();
    const buses: Bus[] = [];
    return {
      async node(nodeId) {
        const bus = await network.connect(nodeId, scheduler);
        buses.push(bus);
        return { lease, log, bus };
      },
      async close() {
        for (const bus of buses) await bus.close();
        await log.close();
      },
    };
  },
};

function redisBackend(): Backend {
  let server: TestRedis | null = null;
  return {
    name: 'redis',
    async start() {
      server = await startRedis();
    },
    async stop() {
      await server?.stop();
      server = null;
    },
    async store() {
      const url = server?.url;
      if (url === undefined) throw new Error('redis backend not started');
      const prefix = `{test-${randomUUID()}}`;
      const clients: Redis[] = [];
      const closers: Array<() => Promise<void>> = [];
      return {
        prefix,
        async node(nodeId) {
          const redis = new Redis(url, { connectionName: nodeId, maxRetriesPerRequest: 1 });
          clients.push(redis);
          const log = new RedisCommandLog(redis, prefix);
          const bus = await connectRedisBus(redis, nodeId, scheduler, { prefix: `${prefix}:bus:` });
          closers.push(
            () => bus.close(),
            () => log.close(),
          );
          return { lease: new RedisLease(redis, prefix), log, bus, redis };
        },
        async close() {
          for (const close of closers) await close();
          for (const client of clients) await client.quit();
        },
      };
    },
  };
}

export const backends: Backend[] = [inProcess, redisBackend()];

/** Waits (real time) until `check` holds, or fails after `withinMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, withinMs = 3_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
