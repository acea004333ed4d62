import type { Lobby, LobbyCommand, LobbyEvent, LobbyResult } from '../lobby';
import type { LobbyEngine } from '../sessions/LobbyEngine';

/** Told of each command applied through this engine (null: deadlines it ran itself) and its result. */
export type LobbyObserver = (command: LobbyCommand | null, result: LobbyResult<unknown>) => void;

/**
 * The call centre's lobby engine, unchanged, with every result also shown to an observer: the
 * metrics count what the lobby decided (offers, invitations and their ends) from its own results,
 * so nothing keeps a second book. Only where a command is applied is it seen, so in a cluster each
 * decision is counted once, on the node that leads.
 */
export class ObservedLobbyEngine implements LobbyEngine {
  constructor(
    private readonly inner: LobbyEngine,
    private readonly observe: LobbyObserver,
  ) {}

  get lobby(): Lobby {
    return this.inner.lobby;
  }

  async apply(command: LobbyCommand): Promise<LobbyResult<unknown>> {
    const result = await this.inner.apply(command);
    this.observe(command, result);
    return result;
  }

  onDeadlines(listener: (events: LobbyEvent[]) => void): void {
    this.inner.onDeadlines((events) => {
      this.observe(null, { ok: true, value: undefined, events });
      listener(events);
    });
  }

  close(): void {
    this.inner.close();
  }
}
