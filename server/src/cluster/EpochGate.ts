/**
 * Drops messages from a stale leader: remembers the highest epoch seen and admits only messages at
 * or above it. A node filters the leader's broadcasts through one, so an old leader that wakes up
 * and says something changes nothing.
 */
export class EpochGate {
  #highest = 0;

  get highest(): number {
    return this.#highest;
  }

  /** True (and remembered) when `epoch` is the newest seen or equal to it. */
  admit(epoch: number): boolean {
    if (!Number.isSafeInteger(epoch) || epoch < this.#highest) return false;
    this.#highest = epoch;
    return true;
  }
}
