import type { Logger } from '../logger';
import { TypedEmitter } from '../util/TypedEmitter';
import type { Scheduler, Timer } from '../util/scheduler';
import type { Lease } from './Lease';

/** How often every node looks who leads. */
const LOOK_EVERY_MS = 1000;

/**
 * Tells a node that the lobby has a new leader (another node's epoch, or this node's): the node
 * then reports its sockets to it, so the new leader knows who never left.
 */
export class LeaderWatch extends TypedEmitter<{ changed: [leader: string] }> {
  #last: string | null = null;
  #timer: Timer | null = null;
  #stopped = false;

  constructor(private readonly deps: { lease: Pick<Lease, 'current'>; scheduler: Scheduler; log: Logger }) {
    super((event, error) => deps.log.error({ event, err: error }, 'leader watch listener failed'));
  }

  start(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = this.deps.scheduler.after(LOOK_EVERY_MS, () => {
      this.#timer = null;
      void this.#look().finally(() => this.start());
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = null;
  }

  async #look(): Promise<void> {
    try {
      const { holder } = await this.deps.lease.current();
      if (!holder) return;
      const key = `${holder.epoch}:${holder.nodeId}`;
      if (key === this.#last) return;
      const first = this.#last === null;
      this.#last = key;
      // At start there is no change to report: the leader already knows this node's sockets.
      if (!first) this.safeEmit('changed', holder.nodeId);
    } catch (err) {
      this.deps.log.debug({ err }, 'could not look who leads');
    }
  }
}
