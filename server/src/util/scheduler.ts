/** A pending call that can be called off. */
export interface Timer {
  cancel(): void;
}

/**
 * Time, injected: everything on the server that waits (grace periods, held places, the lobby's next
 * deadline) asks this, so tests run on a fake clock instead of sleeping on the wall clock.
 */
export interface Scheduler {
  now(): number;
  /** Runs `fn` once, `ms` from now (at once for ms ≤ 0, but never synchronously). */
  after(ms: number, fn: () => void): Timer;
}

/** Real time. Timers do not keep the process alive: a pending grace period must not block shutdown. */
export function realScheduler(clock: () => number = Date.now): Scheduler {
  return {
    now: clock,
    after(ms, fn) {
      const t = setTimeout(fn, Math.max(0, ms));
      t.unref();
      return { cancel: () => clearTimeout(t) };
    },
  };
}
