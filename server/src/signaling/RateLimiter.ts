/** A token bucket per key (a caller's IP address): anonymous callers are welcome, floods are not. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly refillPerMs: number,
    private readonly clock: () => number,
  ) {}

  take(key: string): boolean {
    const now = this.clock();
    const b = this.#buckets.get(key) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + (now - b.at) * this.refillPerMs);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    if (this.#buckets.size > 10_000) this.#prune(now);
    return true;
  }

  #prune(now: number): void {
    for (const [k, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * this.refillPerMs >= this.capacity) this.#buckets.delete(k);
    }
  }
}
