import type { Lease, LeaseAttempt, LeaseStatus } from './Lease';

interface Held {
  nodeId: string;
  epoch: number;
  expiresAt: number;
}

/**
 * The lease for a single process (the default) and for tests: time from the injected clock (a
 * Scheduler's `now`), so expiry runs on a fake clock. Also the in-process log's fence (`isLive`).
 */
export class InProcessLease implements Lease {
  #held: Held | null = null;
  #epoch = 0;

  constructor(private readonly clock: { now(): number }) {}

  async acquire(nodeId: string, ttlMs: number): Promise<LeaseAttempt> {
    const held = this.#live();
    if (held !== null) return { acquired: false, holder: this.#view(held) };
    this.#epoch += 1;
    this.#held = { nodeId, epoch: this.#epoch, expiresAt: this.clock.now() + ttlMs };
    return { acquired: true, epoch: this.#epoch };
  }

  async renew(nodeId: string, epoch: number, ttlMs: number): Promise<boolean> {
    const held = this.#live();
    if (held === null || held.nodeId !== nodeId || held.epoch !== epoch) return false;
    held.expiresAt = this.clock.now() + ttlMs;
    return true;
  }

  async release(nodeId: string, epoch: number): Promise<boolean> {
    const held = this.#live();
    if (held === null || held.nodeId !== nodeId || held.epoch !== epoch) return false;
    this.#held = null;
    return true;
  }

  async current(): Promise<LeaseStatus> {
    const held = this.#live();
    return { holder: held === null ? null : this.#view(held), epoch: this.#epoch };
  }

  /** Synchronous, so the in-process log checks the fence and appends in one step (atomically). */
  isLive(epoch: number): boolean {
    return this.#live()?.epoch === epoch;
  }

  #live(): Held | null {
    if (this.#held !== null && this.#held.expiresAt <= this.clock.now()) this.#held = null;
    return this.#held;
  }

  #view(held: Held): { nodeId: string; epoch: number; expiresInMs: number } {
    return { nodeId: held.nodeId, epoch: held.epoch, expiresInMs: held.expiresAt - this.clock.now() };
  }
}
