import type { Scheduler, Timer } from '../util/scheduler';

/** One pending wait per key (a participant, a caller): if they have not arrived when it lapses, its handler runs. */
export class GraceTimers {
  readonly #timers = new Map<string, Timer>();

  constructor(
    private readonly scheduler: Scheduler,
    /** How long a dropped participant or waiting caller may take to come back. */
    readonly graceMs: number,
  ) {}

  expect(participantId: string, onLapse: () => void, withinMs = this.graceMs): void {
    this.arrived(participantId);
    const timer = this.scheduler.after(withinMs, () => {
      this.#timers.delete(participantId);
      onLapse();
    });
    this.#timers.set(participantId, timer);
  }

  arrived(participantId: string): void {
    this.#timers.get(participantId)?.cancel();
    this.#timers.delete(participantId);
  }

  clear(): void {
    for (const t of this.#timers.values()) t.cancel();
    this.#timers.clear();
  }
}
