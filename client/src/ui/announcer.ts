/**
 * Polite screen-reader announcements through one live region. Repeats are dropped and routine
 * updates are throttled, so a waiting caller hears each change of place once, never a ticking timer.
 */
export class Announcer {
  #last = '';
  #lastAt = 0;

  constructor(
    private readonly region: HTMLElement,
    private readonly minIntervalMs = 15_000,
  ) {}

  /** Urgent messages (a call starts or ends) always go out; routine ones respect the interval. */
  say(message: string, urgent = false): void {
    const now = Date.now();
    if (message === this.#last) return;
    if (!urgent && now - this.#lastAt < this.minIntervalMs) return;
    this.#last = message;
    this.#lastAt = now;
    // Clearing first makes screen readers announce a message even if the text repeats later.
    this.region.textContent = '';
    requestAnimationFrame(() => {
      this.region.textContent = message;
    });
  }
}
