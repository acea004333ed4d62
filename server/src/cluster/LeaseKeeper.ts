import type { Scheduler, Timer } from '../util/scheduler';
import { TypedEmitter } from '../util/TypedEmitter';
import type { Lease } from './Lease';
import { resolveLeaseTiming, type LeaseTiming } from './timing';

export type LeaseLossReason =
  /** The store said no: someone else holds it, or it expired there. */
  | 'refused'
  /** No renewal succeeded in time (store unreachable, slow, or this process was paused). */
  | 'expired'
  /** stop() was called. */
  | 'stopped';

export interface LeaseKeeperEvents extends Record<string, unknown[]> {
  gained: [{ epoch: number }];
  lost: [{ epoch: number; reason: LeaseLossReason }];
  /** A store call failed (the loop goes on; a holder that cannot renew loses the lease in time). */
  error: [unknown];
}

export interface LeaseKeeperDeps {
  lease: Lease;
  nodeId: string;
  scheduler: Scheduler;
  timing?: Partial<LeaseTiming>;
}

type State = { kind: 'seeking' } | { kind: 'holding'; epoch: number; validUntil: number };

/**
 * Runs one node's side of the election on a Scheduler: seeks the lease while free, renews it every
 * `renewEveryMs` while held, and says `gained` / `lost` (with the epoch). A renewal that fails or
 * comes too late means lost at once: leadership is valid only until `validUntil` = (when the last
 * successful renewal was *sent*) + ttl − safety margin, checked by the clock (`holds`) and by a
 * timer, so a paused or partitioned leader stops leading before the store can elect another.
 */
export class LeaseKeeper extends TypedEmitter<LeaseKeeperEvents> {
  readonly nodeId: string;
  readonly timing: LeaseTiming;
  #state: State = { kind: 'seeking' };
  #loopTimer: Timer | null = null;
  #deadlineTimer: Timer | null = null;
  #busy = false;
  /**
   * After a store outage (Redis restarting), whoever held the lease should hold it again: call
   * control's desks (held places, live sessions) live on the leader and do not move with the lease.
   * `#lastHolder`: who held it by the store's last answer; `#holderBeforeOutage`: another node,
   * which held it when this standby's store calls began to fail; `#top`: the highest epoch the
   * store has named and who held it (an epoch handed out again means the store lost its data).
   */
  #lastHolder: string | null = null;
  #top = { epoch: 0, holder: '' };
  #holderBeforeOutage: string | null = null;
  #started = false;
  #stopped = false;

  constructor(private readonly deps: LeaseKeeperDeps) {
    super();
    this.nodeId = deps.nodeId;
    this.timing = resolveLeaseTiming(deps.timing);
  }

  /** The epoch this node leads under, or null. Read by the clock, so never stale after a pause. */
  get epoch(): number | null {
    const s = this.#state;
    return s.kind === 'holding' && this.deps.scheduler.now() < s.validUntil ? s.epoch : null;
  }

  /** True while this node still validly holds the lease under `epoch`. */
  holds(epoch: number): boolean {
    return this.epoch === epoch;
  }

  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    void this.#step();
  }

  /** Stops the loop; a held lease is released (unless `release: false`) so a standby takes over now. */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#loopTimer?.cancel();
    this.#loopTimer = null;
    const held = this.#state;
    if (held.kind !== 'holding') return;
    this.#lose(held.epoch, 'stopped');
    if (options.release !== false) await this.#release(held.epoch);
  }

  async #step(): Promise<void> {
    if (this.#stopped || this.#busy) return;
    this.#busy = true;
    const sentAt = this.deps.scheduler.now();
    let nextInMs = this.timing.renewEveryMs;
    try {
      nextInMs =
        this.#state.kind === 'holding'
          ? await this.#renew(this.#state.epoch, sentAt)
          : await this.#seek(sentAt);
    } catch (error) {
      // Unreachable store: keep trying; a holder's deadline timer ends its leadership in time.
      if (this.#state.kind === 'seeking' && this.#lastHolder !== this.nodeId) {
        this.#holderBeforeOutage ??= this.#lastHolder;
      }
      this.safeEmit('error', error);
    } finally {
      this.#busy = false;
    }
    if (this.#stopped) return;
    const elapsed = this.deps.scheduler.now() - sentAt;
    this.#loopTimer = this.deps.scheduler.after(Math.max(0, nextInMs - elapsed), () => {
      this.#loopTimer = null;
      void this.#step();
    });
  }

  /** Returns when to try again. */
  async #seek(sentAt: number): Promise<number> {
    const { ttlMs, renewEveryMs, safetyMarginMs } = this.timing;
    if (this.#holderBeforeOutage !== null) {
      // The store answers again after failing while another node led. If the lease ran out during
      // the outage, that node is likely alive and about to take it back: give it one TTL first.
      const { holder } = await this.deps.lease.current();
      this.#holderBeforeOutage = null;
      if (holder === null) return ttlMs;
    }
    const attempt = await this.deps.lease.acquire(this.nodeId, ttlMs);
    if (!attempt.acquired) {
      this.#lastHolder = attempt.holder.nodeId;
      this.#saw(attempt.holder.epoch, attempt.holder.nodeId);
      // Wake right when the holder's lease would run out, but never sleep longer than a renewal period.
      // (A node's own lease, kept by the store through a short outage after it stopped leading by
      // its clock, is retaken so: at most the safety margin later.)
      return Math.min(renewEveryMs, attempt.holder.expiresInMs + 1);
    }
    const top = this.#top;
    if (attempt.epoch <= top.epoch && top.holder !== this.nodeId) {
      // An epoch handed out before: the store came back without its data (lease and counter gone)
      // while another node led. Hand it back and give that node one TTL to take it again; only
      // once (forgetting what was seen), or a dead leader's high epoch would keep this node waiting.
      this.#top = { epoch: 0, holder: '' };
      await this.#release(attempt.epoch);
      return ttlMs;
    }
    this.#lastHolder = this.nodeId;
    this.#saw(attempt.epoch, this.nodeId);
    const validUntil = sentAt + ttlMs - safetyMarginMs;
    if (this.#stopped || this.deps.scheduler.now() >= validUntil) {
      // Stopped meanwhile, or the answer came too late to lead on: hand it straight back.
      await this.#release(attempt.epoch);
      return renewEveryMs;
    }
    this.#hold(attempt.epoch, validUntil);
    this.safeEmit('gained', { epoch: attempt.epoch });
    return renewEveryMs;
  }

  async #renew(epoch: number, sentAt: number): Promise<number> {
    const { ttlMs, renewEveryMs, safetyMarginMs } = this.timing;
    const renewed = await this.deps.lease.renew(this.nodeId, epoch, ttlMs);
    const s = this.#state;
    if (s.kind !== 'holding' || s.epoch !== epoch) return renewEveryMs; // lost meanwhile (deadline, stop)
    if (!renewed) {
      this.#lose(epoch, 'refused');
      return 0; // seek again at once: the lease may be free
    }
    if (this.deps.scheduler.now() >= s.validUntil) {
      // Too late: leadership already ran out by the clock. Give the lease back rather than lead late.
      this.#lose(epoch, 'expired');
      await this.#release(epoch);
      return renewEveryMs;
    }
    this.#hold(epoch, sentAt + ttlMs - safetyMarginMs);
    return renewEveryMs;
  }

  #saw(epoch: number, holder: string): void {
    if (epoch > this.#top.epoch) this.#top = { epoch, holder };
  }

  #hold(epoch: number, validUntil: number): void {
    this.#state = { kind: 'holding', epoch, validUntil };
    this.#deadlineTimer?.cancel();
    this.#deadlineTimer = this.deps.scheduler.after(validUntil - this.deps.scheduler.now(), () => {
      this.#deadlineTimer = null;
      const s = this.#state;
      if (s.kind === 'holding' && s.epoch === epoch && this.deps.scheduler.now() >= s.validUntil) {
        this.#lose(epoch, 'expired');
        // Best effort: if the store still has it, free it for a standby now rather than at the TTL.
        void this.#release(epoch);
      }
    });
  }

  #lose(epoch: number, reason: LeaseLossReason): void {
    this.#state = { kind: 'seeking' };
    this.#deadlineTimer?.cancel();
    this.#deadlineTimer = null;
    this.safeEmit('lost', { epoch, reason });
  }

  async #release(epoch: number): Promise<void> {
    try {
      await this.deps.lease.release(this.nodeId, epoch);
    } catch (error) {
      this.safeEmit('error', error);
    }
  }
}
