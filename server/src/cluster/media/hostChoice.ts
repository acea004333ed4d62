// Which node hosts a new call: a pure rule over the nodes' latest load reports.
import { z } from 'zod';

export const NodeLoad = z.strictObject({
  nodeId: z.string().min(1).max(128),
  /** Calls (routers) on its workers right now. */
  routers: z.number().int().nonnegative(),
  consumers: z.number().int().nonnegative(),
  workers: z.number().int().nonnegative(),
  /** Share of one core its workers used over the last interval, summed (2 busy workers: 2). */
  workerCpu: z.number().nonnegative(),
  /** Taking no new calls (a rolling deploy). */
  draining: z.boolean(),
  /** When the node measured this, by its clock. */
  at: z.number().int().nonnegative(),
});
export type NodeLoad = z.infer<typeof NodeLoad>;

/** CPU is compared in steps of this share of a core: idle noise must not steer calls. */
export const CPU_STEP = 0.1;

/** Workers this busy (share of a core each) count as full while any node has room. */
export const SATURATED_CPU_PER_WORKER = 0.85;

export interface HostChoiceInput {
  loads: readonly NodeLoad[];
  now: number;
  /** A report older than this is from a node that stopped reporting: it gets no calls. */
  staleAfterMs: number;
  /** Calls this node placed on `nodeId` after its report at `at` (not counted in it yet). */
  placedSince: (nodeId: string, at: number) => number;
}

/**
 * The node for a new call, or null when no node can take one. Among live nodes that are not
 * draining and not saturated: the fewest calls per worker (counting calls placed since the node
 * last reported), then the lower worker CPU per worker (in steps of CPU_STEP), then fewer consumers, then the node id
 * (so that every leader would choose alike).
 */
export function pickHost(input: HostChoiceInput): string | null {
  const live = input.loads.filter(
    (l) => !l.draining && l.workers > 0 && input.now - l.at <= input.staleAfterMs,
  );
  const roomy = live.filter((l) => l.workerCpu / l.workers < SATURATED_CPU_PER_WORKER);
  const candidates = (roomy.length > 0 ? roomy : live).map((l) => ({
    load: l,
    callsPerWorker: (l.routers + input.placedSince(l.nodeId, l.at)) / l.workers,
    cpuPerWorker: Math.floor(l.workerCpu / l.workers / CPU_STEP),
  }));
  candidates.sort(
    (a, b) =>
      a.callsPerWorker - b.callsPerWorker ||
      a.cpuPerWorker - b.cpuPerWorker ||
      a.load.consumers - b.load.consumers ||
      (a.load.nodeId < b.load.nodeId ? -1 : a.load.nodeId > b.load.nodeId ? 1 : 0),
  );
  return candidates[0]?.load.nodeId ?? null;
}
