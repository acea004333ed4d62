// The centre under test for the chaos run: its own Redis (AOF) and PostgreSQL server (so either can
// be stopped), three node processes the way an operator starts them, and a TCP balancer in front of
// their HTTP ports. Nodes can be killed, drained and replaced; a replacement takes the same NODE_ID.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { NODE_LOAD_KEY } from '../../server/src/cluster/media/LoadBoard';
import { RedisSessionDirectory } from '../../server/src/cluster/RedisSessionDirectory';
import { openStore } from '../../server/src/store';
import { startLoadBalancer, type LoadBalancer } from '../helpers/loadBalancer';
import { NODE_METRICS_TOKEN, startNodeProcess, type NodeProcess } from '../helpers/nodeProcess';
import { scrapeMetrics, valueOf } from '../helpers/prometheus';
import { startPostgres, type PostgresServer } from '../helpers/postgres';
import { startRedis, type TestRedis } from '../helpers/redis';
import { TEST_PASSWORD } from '../helpers/testApp';
import { until } from '../helpers/waiting';

export const NODE_IDS = ['alpha', 'bravo', 'charlie'] as const;
export const SUPERVISOR = 'boss';
/** An agent for the waiting callers' language, signed in only at the end to answer them. */
export const WAITING_DESK = 'desk-vi';
/** The lease key ("<epoch>:<nodeId>"), as `redisKeys.ts` names it. */
const LEASE_KEY = '{relay-lobby}:lease';
/** How long a drained node may take to exit before it is killed (and the drain counted as hung). */
const DRAIN_EXIT_MS = 20_000;

export interface ChaosClusterOptions {
  /** Agent accounts to create (`agent-1` … `agent-N`, signing kvk and speaking ko). */
  agents: number;
  log?: (line: string) => void;
}

export class ChaosCluster {
  readonly nodes = new Map<string, NodeProcess>();
  /** Output of nodes that are gone, kept to explain a broken promise. */
  readonly pastOutput: string[] = [];
  #client!: Redis;

  private constructor(
    readonly redis: TestRedis,
    readonly postgres: PostgresServer,
    readonly databaseUrl: string,
    readonly balancer: LoadBalancer,
    readonly journalDir: string,
    readonly log: (line: string) => void,
  ) {}

  static async start(options: ChaosClusterOptions): Promise<ChaosCluster> {
    const log = options.log ?? (() => undefined);
    const redis = await startRedis();
    const postgres = await startPostgres();
    const databaseUrl = await postgres.createDatabase();
    const balancer = await startLoadBalancer();
    const journalDir = await mkdtemp(join(tmpdir(), 'relay-chaos-journal-'));
    const cluster = new ChaosCluster(redis, postgres, databaseUrl, balancer, journalDir, log);
    cluster.#client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    cluster.#client.on('error', () => undefined);
    await cluster.#client.connect();
    // The last node starts first: it migrates the database and takes the lobby's lease; accounts are
    // seeded before the others start. The first calls then go to 'alpha' (idle, first by id), so a
    // host and the leader are different nodes, as in three-nodes.test.ts.
    await cluster.startNode(NODE_IDS[2]);
    await seedAccounts(databaseUrl, options.agents);
    for (const id of NODE_IDS.slice(0, 2)) await cluster.startNode(id);
    await until(async () => (await cluster.loads()) === NODE_IDS.length, 30_000);
    return cluster;
  }

  async startNode(nodeId: string): Promise<NodeProcess> {
    const node = await startNodeProcess({
      nodeId,
      redisUrl: this.redis.url,
      databaseUrl: this.databaseUrl,
      env: {
        // Every page comes from 127.0.0.1 through the balancer.
        CALL_REQUESTS_PER_MINUTE: '100000',
        // Per node id, so a replacement replays what its predecessor journaled.
        RECORD_JOURNAL_DIR: this.journalDir,
        LOG_LEVEL: process.env['NODE_LOG_LEVEL'] ?? 'info',
      },
    });
    this.nodes.set(nodeId, node);
    this.#follow();
    this.log(`  ${nodeId} ready on ${node.url}`);
    return node;
  }

  /**
   * SIGKILL, as when the node's machine dies: the node process and its media workers (its own child
   * processes, by PID) at once. A worker whose parent was killed alone would go on relaying media
   * until it noticed, which no real crash of a host gives. Resolves when the node has exited.
   */
  async kill(nodeId: string): Promise<void> {
    const node = this.#node(nodeId);
    const workers = childPids(node.child.pid);
    node.child.kill('SIGKILL');
    for (const pid of workers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await node.exited;
    this.#gone(node);
  }

  /** SIGTERM and wait for the drain to end; returns the exit code, or 'hung' if it had to be killed. */
  async drain(nodeId: string): Promise<number | null | 'hung'> {
    const node = this.#node(nodeId);
    node.child.kill('SIGTERM');
    const code = await Promise.race([
      node.exited,
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), DRAIN_EXIT_MS)),
    ]);
    if (code === 'hung') {
      node.child.kill('SIGKILL');
      await node.exited;
    }
    this.#gone(node);
    return code;
  }

  /** Starts a node for every id of NODE_IDS that has none running. */
  async refill(): Promise<void> {
    for (const id of NODE_IDS) if (!this.nodes.has(id)) await this.startNode(id);
  }

  /** The node holding the lobby's lease, or null (none, or Redis not answering). */
  async leader(): Promise<string | null> {
    const value = await this.#client.get(LEASE_KEY).catch(() => null);
    return value === null ? null : value.slice(value.indexOf(':') + 1);
  }

  /**
   * The node hosting the call a participant is in, from the session directory (its entry names the
   * host and the participants); null if no entry has them.
   */
  async hostOf(participantId: string): Promise<string | null> {
    const entries = await new RedisSessionDirectory(this.#client).list().catch(() => []);
    return (
      entries.find((e) => e.participants.some((p) => p.participantId === participantId))?.hostNodeId ?? null
    );
  }

  /** Routers open per live node, from its own metrics (an orphaned router shows here too). */
  async routers(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const [id, n] of this.nodes) {
      const routers = await scrapeMetrics(n.url, NODE_METRICS_TOKEN)
        .then((m) => valueOf(m, 'relay_media_objects', { kind: 'router' }))
        .catch(() => 0);
      out.set(id, routers);
    }
    return out;
  }

  /** Entries in the session directory (calls the cluster believes are live). */
  async directoryEntries(): Promise<number> {
    return (await new RedisSessionDirectory(this.#client).list().catch(() => [])).length;
  }

  /** Nodes whose load is on the board. */
  async loads(): Promise<number> {
    return Object.keys(await this.#client.hgetall(NODE_LOAD_KEY).catch(() => ({}))).length;
  }

  /** The last lines of every node's output, live and gone, for a report. */
  output(): string {
    const live = [...this.nodes.values()].map((n) => `--- ${n.nodeId} (pid ${n.child.pid})\n${n.output()}`);
    return [...this.pastOutput, ...live].join('\n');
  }

  async close(): Promise<void> {
    await this.balancer.close();
    await Promise.all([...this.nodes.values()].map((n) => n.stop()));
    this.#client.disconnect();
    await this.redis.stop();
    await this.postgres.stop();
    await rm(this.journalDir, { recursive: true, force: true });
  }

  #node(nodeId: string): NodeProcess {
    const node = this.nodes.get(nodeId);
    if (!node) throw new TypeError(`no node ${nodeId} is running`);
    return node;
  }

  #gone(node: NodeProcess): void {
    this.nodes.delete(node.nodeId);
    this.pastOutput.push(`--- ${node.nodeId} (pid ${node.child.pid}, gone)\n${node.output()}`);
    this.#follow();
  }

  /** The balancer sends new connections to the nodes running now. */
  #follow(): void {
    this.balancer.setBackends([...this.nodes.values()].map((n) => n.url));
  }
}

/** The direct children of a process (Linux: /proc/<pid>/task/<tid>/children). */
function childPids(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const out: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text !== '') out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // The process is gone: so are the children it could list.
  }
  return out;
}

async function seedAccounts(databaseUrl: string, agents: number): Promise<void> {
  const store = await openStore({ url: databaseUrl });
  try {
    for (let i = 1; i <= agents; i++) {
      await store.accounts.create({
        username: `agent-${i}`,
        displayName: `Signing Agent ${i}`,
        role: 'agent',
        languages: ['kvk', 'ko'],
        password: TEST_PASSWORD,
      });
    }
    await store.accounts.create({
      username: WAITING_DESK,
      displayName: 'Vietnamese Desk',
      role: 'agent',
      languages: ['vi'],
      password: TEST_PASSWORD,
    });
    await store.accounts.create({
      username: SUPERVISOR,
      displayName: 'Supervisor',
      role: 'supervisor',
      languages: ['ko'],
      password: TEST_PASSWORD,
    });
  } finally {
    await store.close();
  }
}
