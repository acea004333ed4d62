import type { Logger } from '../logger';
import { RateLimiter } from './RateLimiter';

/**
 * Bad input is a message we cannot take: an unknown event, a payload its schema refuses, a message
 * without an acknowledgement. Our own client sends none unless it is out of date or has a bug, and
 * then a few in a row (one per click); a script probing the server sends thousands. So one socket
 * may send a burst of BAD_INPUT_BURST, refilled at that many per BAD_INPUT_WINDOW_MS (2 a second);
 * past that it is closed.
 */
export const BAD_INPUT_BURST = 20;
export const BAD_INPUT_WINDOW_MS = 10_000;
/** Bad messages logged one by one per socket and window; the rest are counted in one line. */
export const BAD_INPUT_LOGGED = 3;

/**
 * One socket's bad input: how much it may still send, and a log that stays a few lines long
 * however much arrives (the first BAD_INPUT_LOGGED of each window, then one count).
 */
export class BadInput {
  readonly #budget: RateLimiter;
  #windowStart = Number.NEGATIVE_INFINITY;
  #logged = 0;
  #unlogged = 0;

  constructor(
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.#budget = new RateLimiter(BAD_INPUT_BURST, BAD_INPUT_BURST / BAD_INPUT_WINDOW_MS, clock);
  }

  /** Counts one bad message; false when the socket has sent too much and must be closed. */
  record(event: string, reason: string): boolean {
    const now = this.clock();
    if (now - this.#windowStart >= BAD_INPUT_WINDOW_MS) {
      this.flush();
      this.#windowStart = now;
      this.#logged = 0;
    }
    if (!this.#budget.take('socket')) {
      this.log.warn({ event, reason, unlogged: this.#take() }, 'too much bad input: closing the connection');
      return false;
    }
    if (this.#logged < BAD_INPUT_LOGGED) {
      this.#logged++;
      this.log.warn({ event, reason }, 'bad input');
    } else {
      this.#unlogged++;
    }
    return true;
  }

  /** Logs the count of bad messages not yet logged (at the end of a window, or of the socket). */
  flush(): void {
    const unlogged = this.#take();
    if (unlogged > 0) this.log.warn({ unlogged }, 'more bad input, not logged one by one');
  }

  #take(): number {
    const n = this.#unlogged;
    this.#unlogged = 0;
    return n;
  }
}
