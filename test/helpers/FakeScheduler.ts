import type { Scheduler, Timer } from '../../server/src/util/scheduler';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that moves only when a test says so. `advance` runs every timer that falls due, in order
 * of due time (then of creation), each at its own instant, including timers set while advancing.
 */
export class FakeScheduler implements Scheduler {
  #now: number;
  #seq = 0;
  readonly #pending = new Set<Pending>();
  readonly #watchers: Array<{ ms: number | undefined; resolve: () => void }> = [];

  constructor(start = Date.UTC(2025, 2, 3, 1, 0, 0)) {
    this.#now = start;
  }

  now = (): number => this.#now;

  after(ms: number, fn: () => void): Timer {
    const p: Pending = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#pending.add(p);
    for (const w of [...this.#watchers]) {
      if (w.ms !== undefined && w.ms !== ms) continue;
      this.#watchers.splice(this.#watchers.indexOf(w), 1);
      w.resolve();
    }
    return { cancel: () => this.#pending.delete(p) };
  }

  /**
   * Resolves when the server next sets a timer (of exactly `ms`, if given): the moment it has noticed
   * what the test did (a socket closed) and started waiting. Ask before doing the thing.
   */
  timerSet(ms?: number): Promise<void> {
    return new Promise((resolve) => this.#watchers.push({ ms, resolve }));
  }

  /** Timers not yet run. */
  get pending(): number {
    return this.#pending.size;
  }

  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.#pending) {
        if (p.at <= until && (!next || p.at < next.at || (p.at === next.at && p.seq < next.seq))) next = p;
      }
      if (!next) break;
      this.#pending.delete(next);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = until;
  }
}
