import type { QueueView } from '../../../common/protocol';

/** Updates sent per turn of the event loop: a few ms of socket writes, then other work gets a turn. */
const SLICE = 256;

/**
 * Places in line told to callers without stalling the server. One caller leaving the head of a line
 * of thousands moves everyone behind: sending all those updates in one go held the event loop for
 * hundreds of ms (bench:signalling). Here they go out in slices, a turn of the loop apart, and a
 * caller whose place moves again before theirs went out gets only the newer one (their screen reader
 * announces where they are, not every step on the way).
 */
export class PositionFanout {
  readonly #pending = new Map<string, QueueView>();
  #scheduled = false;

  constructor(private readonly send: (callerId: string, view: QueueView) => void) {}

  push(callerId: string, view: QueueView): void {
    this.#pending.set(callerId, view);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  /** A caller's place no longer matters (matched, or told their place another way): drop what waits. */
  forget(callerId: string): void {
    this.#pending.delete(callerId);
  }

  #flush(): void {
    let sent = 0;
    for (const [callerId, view] of this.#pending) {
      if (sent++ === SLICE) break;
      this.#pending.delete(callerId);
      this.send(callerId, view);
    }
    if (this.#pending.size > 0) setImmediate(() => this.#flush());
    else this.#scheduled = false;
  }
}
