// Every pending deadline (offer expiry, invitation expiry, long-wait fallback, a volunteer's hours
// starting or ending, a batched position refresh) in one binary min-heap, so the driver needs a
// single timer. Entries are never removed eagerly: each knows how to tell whether it still matters
// (lazy deletion), and stale ones are dropped when they reach the top.

export interface DeadlineEntry<T> {
  at: number;
  seq: number;
  item: T;
}

export class DeadlineHeap<T> {
  private readonly heap: DeadlineEntry<T>[] = [];
  private seq = 0;

  constructor(private readonly isLive: (item: T) => boolean) {}

  get size(): number {
    return this.heap.length;
  }

  /** The next tie-break number: entries pushed later sort after earlier ones due at the same time. */
  get nextSeq(): number {
    return this.seq;
  }

  /** Every entry, live or not, in heap order (a copy). */
  entries(): DeadlineEntry<T>[] {
    return [...this.heap];
  }

  /** Restore, on an empty heap: entries with their own tie-break numbers, then the counter. */
  load(entries: readonly DeadlineEntry<T>[], nextSeq: number): void {
    for (const e of entries) {
      this.heap.push({ at: e.at, seq: e.seq, item: e.item });
      this.up(this.heap.length - 1);
    }
    this.seq = nextSeq;
  }

  push(at: number, item: T): void {
    this.heap.push({ at, seq: this.seq++, item });
    this.up(this.heap.length - 1);
  }

  /** Earliest live deadline, dropping stale entries on the way. */
  peek(): DeadlineEntry<T> | undefined {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined) return undefined;
      if (this.isLive(top.item)) return top;
      this.pop();
    }
  }

  /** Removes and returns the earliest live entry due at or before `now`. */
  popDue(now: number): DeadlineEntry<T> | undefined {
    const top = this.peek();
    if (top === undefined || top.at > now) return undefined;
    this.pop();
    return top;
  }

  private pop(): void {
    const last = this.heap.pop();
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private less(a: DeadlineEntry<T>, b: DeadlineEntry<T>): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    const entry = h[i] as DeadlineEntry<T>;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as DeadlineEntry<T>;
      if (!this.less(entry, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = entry;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const entry = h[i] as DeadlineEntry<T>;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.less(h[r] as DeadlineEntry<T>, h[l] as DeadlineEntry<T>)) c = r;
      const child = h[c] as DeadlineEntry<T>;
      if (!this.less(child, entry)) break;
      h[i] = child;
      i = c;
    }
    h[i] = entry;
  }
}
