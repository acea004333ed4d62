import type { Redis } from 'ioredis';
import type { Logger } from '../../logger';
import type { Scheduler, Timer } from '../../util/scheduler';
import { NodeLoad, pickHost } from './hostChoice';

export const NODE_LOAD_KEY = 'relay:node-load';
export const LOAD_REPORT_INTERVAL_MS = 2000;

export interface LoadBoardDeps {
  redis: Redis;
  nodeId: string;
  scheduler: Scheduler;
  log: Logger;
  /** This node's load now, without its id and time. */
  sample: () => Promise<Omit<NodeLoad, 'nodeId' | 'at'>>;
  intervalMs?: number;
}

/**
 * Every node's load, in one Redis hash: each node writes its own field every few seconds, and
 * whoever places a call reads them all. A node that stops writing drops out after three intervals.
 */
export class LoadBoard {
  readonly #placements: Array<{ nodeId: string; at: number }> = [];
  readonly #intervalMs: number;
  #timer: Timer | null = null;
  #stopped = false;

  constructor(private readonly deps: LoadBoardDeps) {
    this.#intervalMs = deps.intervalMs ?? LOAD_REPORT_INTERVAL_MS;
  }

  /** Reports now, then every interval. */
  async start(): Promise<void> {
    await this.report();
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.deps.scheduler.after(this.#intervalMs, () => {
      this.report()
        .catch((err: unknown) => this.deps.log.warn({ err }, 'could not report this node’s load'))
        .finally(() => this.#schedule());
    });
  }

  async report(): Promise<void> {
    const load: NodeLoad = {
      ...(await this.deps.sample()),
      nodeId: this.deps.nodeId,
      at: this.deps.scheduler.now(),
    };
    await this.deps.redis.hset(NODE_LOAD_KEY, this.deps.nodeId, JSON.stringify(load));
  }

  /** The latest reports that are still fresh (unreadable fields are skipped and told). */
  async read(): Promise<NodeLoad[]> {
    const fields = await this.deps.redis.hgetall(NODE_LOAD_KEY);
    const now = this.deps.scheduler.now();
    const loads: NodeLoad[] = [];
    for (const [nodeId, text] of Object.entries(fields)) {
      const parsed = NodeLoad.safeParse(safeJson(text));
      if (!parsed.success || parsed.data.nodeId !== nodeId) {
        this.deps.log.warn({ nodeId }, 'unreadable node load report');
        continue;
      }
      if (now - parsed.data.at <= this.staleAfterMs) loads.push(parsed.data);
    }
    return loads;
  }

  get staleAfterMs(): number {
    return 3 * this.#intervalMs;
  }

  /** The node for a new call by the load rule, leaving out `exclude`; null when none can take it. */
  async choose(exclude: ReadonlySet<string> = new Set()): Promise<string | null> {
    const loads = (await this.read()).filter((l) => !exclude.has(l.nodeId));
    const now = this.deps.scheduler.now();
    this.#forget(now);
    return pickHost({
      loads,
      now,
      staleAfterMs: this.staleAfterMs,
      placedSince: (nodeId, at) => this.#placements.filter((p) => p.nodeId === nodeId && p.at >= at).length,
    });
  }

  /** A call was just placed on `nodeId`: counted until that node's next report includes it. */
  placed(nodeId: string): void {
    this.#placements.push({ nodeId, at: this.deps.scheduler.now() });
  }

  #forget(now: number): void {
    while (this.#placements.length > 0 && now - this.#placements[0]!.at > this.staleAfterMs)
      this.#placements.shift();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    await this.deps.redis.hdel(NODE_LOAD_KEY, this.deps.nodeId).catch(() => 0);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Worker CPU as a share of one core, from two readings of their total CPU time. */
export function cpuShare(previousMs: number, currentMs: number, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  return Math.max(0, currentMs - previousMs) / elapsedMs;
}
