import type { Logger } from '../../logger';
import type { Scheduler, Timer } from '../../util/scheduler';
import type { Bus } from '../Bus';
import { NodeUnreachableError, RequestTimeoutError } from '../errors';

/** The channel every media host answers pings on. */
export const HOST_PING_CHANNEL = 'host-ping';

export interface HostWatchOptions {
  bus: Bus;
  scheduler: Scheduler;
  log: Logger;
  /** How often each watched host is asked (default 0.5 s). */
  intervalMs?: number;
  /** How long one ping may take (default 1.5 s). */
  timeoutMs?: number;
  /** Pings in a row finding nobody listening before a host counts as lost (default 3). */
  unreachable?: number;
  /**
   * Pings in a row unanswered in time before a host counts as lost (default 6): a busy host is
   * slow, not gone, and moving its calls costs every browser a media restart.
   */
  unanswered?: number;
}

type OnLost = (hostNodeId: string) => void;

/**
 * Tells the node controlling calls that a node hosting some of them is gone. A killed process's
 * Redis connections close with it, so a ping then finds nobody listening for that node: three
 * times in a row (about 1.5 s; every second of it is a second without video) and the host is lost
 * (not once: a node resubscribing after a Redis restart is briefly not listening either). A frozen
 * node (or one cut off one way) lets pings time out: six in a row (about 12 s), as a host under
 * load is slow, not gone.
 */
export class HostWatch {
  readonly #watchers = new Map<string, Set<OnLost>>();
  readonly #misses = new Map<string, { unreachable: number; unanswered: number }>();
  #timer: Timer | null = null;
  #closed = false;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #maxUnreachable: number;
  readonly #maxUnanswered: number;

  constructor(private readonly options: HostWatchOptions) {
    this.#intervalMs = options.intervalMs ?? 500;
    this.#timeoutMs = options.timeoutMs ?? 1500;
    this.#maxUnreachable = options.unreachable ?? 3;
    this.#maxUnanswered = options.unanswered ?? 6;
  }

  /** Calls `onLost` once if `hostNodeId` is lost while watched; returns the way to stop watching. */
  watch(hostNodeId: string, onLost: OnLost): () => void {
    let set = this.#watchers.get(hostNodeId);
    if (!set) {
      set = new Set();
      this.#watchers.set(hostNodeId, set);
    }
    set.add(onLost);
    this.#schedule();
    return () => {
      const current = this.#watchers.get(hostNodeId);
      current?.delete(onLost);
      if (current?.size === 0) {
        this.#watchers.delete(hostNodeId);
        this.#misses.delete(hostNodeId);
      }
    };
  }

  close(): void {
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = null;
    this.#watchers.clear();
  }

  #schedule(): void {
    if (this.#timer || this.#closed || this.#watchers.size === 0) return;
    this.#timer = this.options.scheduler.after(this.#intervalMs, () => {
      this.#timer = null;
      void this.#pingAll().finally(() => this.#schedule());
    });
  }

  async #pingAll(): Promise<void> {
    await Promise.all([...this.#watchers.keys()].map((host) => this.#ping(host)));
  }

  async #ping(host: string): Promise<void> {
    const { bus, log } = this.options;
    try {
      await bus.request(host, HOST_PING_CHANNEL, null, this.#timeoutMs);
      this.#misses.delete(host);
    } catch (err) {
      // The bus itself failing (Redis restarting) says nothing about the host: not a miss.
      if (!(err instanceof NodeUnreachableError || err instanceof RequestTimeoutError)) return;
      const misses = this.#misses.get(host) ?? { unreachable: 0, unanswered: 0 };
      if (err instanceof NodeUnreachableError) misses.unreachable += 1;
      else misses.unanswered += 1;
      this.#misses.set(host, misses);
      if (misses.unreachable >= this.#maxUnreachable || misses.unanswered >= this.#maxUnanswered) {
        log.warn({ host, err }, 'a media host is gone: its calls move');
        this.#lost(host);
      }
    }
  }

  #lost(host: string): void {
    const watchers = [...(this.#watchers.get(host) ?? [])];
    this.#watchers.delete(host);
    this.#misses.delete(host);
    for (const onLost of watchers) onLost(host);
  }
}
