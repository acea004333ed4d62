import { applyCommand, type Lobby, type LobbyCommand, type LobbyEvent, type LobbyResult } from '../lobby';
import type { Scheduler, Timer } from '../util/scheduler';

/**
 * Where the lobby's commands are applied: in this process (the default), or through a replicated,
 * fenced log in a cluster. Either way the driver sees the same thing: results, and the events the
 * engine produced on its own when deadlines fell due.
 */
export interface LobbyEngine {
  /** The lobby to read (it may be replaced, e.g. restored from a snapshot: read it each time). */
  readonly lobby: Lobby;
  apply(command: LobbyCommand): Promise<LobbyResult<unknown>>;
  /** Deadline events (offers expiring, hours starting...) the engine applied on its own. */
  onDeadlines(listener: (events: LobbyEvent[]) => void): void;
  close(): void;
}

/** The lobby in this process, with one timer on its earliest deadline. */
export class LocalLobbyEngine implements LobbyEngine {
  #timer: Timer | null = null;
  #timerAt: number | null = null;
  #closed = false;
  #listener: (events: LobbyEvent[]) => void = () => {};

  constructor(
    readonly lobby: Lobby,
    private readonly scheduler: Scheduler,
  ) {}

  async apply(command: LobbyCommand): Promise<LobbyResult<unknown>> {
    const result = applyCommand(this.lobby, command);
    this.#schedule();
    return result;
  }

  onDeadlines(listener: (events: LobbyEvent[]) => void): void {
    this.#listener = listener;
  }

  close(): void {
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = null;
  }

  #schedule(): void {
    const at = this.lobby.nextDeadline();
    if (at === this.#timerAt || this.#closed) return;
    this.#timer?.cancel();
    this.#timer = null;
    this.#timerAt = at;
    if (at === null) return;
    this.#timer = this.scheduler.after(at - this.scheduler.now(), () => {
      this.#timer = null;
      this.#timerAt = null;
      const events = this.lobby.tick();
      this.#schedule();
      this.#listener(events);
    });
  }
}
