import { RelayError } from '../../../common/errors';
import type { Lobby, LobbyCommand, LobbyEvent, LobbyResult } from '../lobby';
import type { LobbyEngine } from '../sessions/LobbyEngine';
import { NotLeaderError, StaleEpochError } from './errors';
import type { ReplicatedLobby } from './ReplicatedLobby';

/**
 * The driver's lobby engine in a cluster: commands go through the replicated, fenced log of the
 * node that leads; deadlines are ticked by the leader only, and relayed by it.
 */
export class ReplicatedLobbyEngine implements LobbyEngine {
  #listener: (events: LobbyEvent[]) => void = () => {};

  constructor(private readonly replica: ReplicatedLobby) {
    replica.on('applied', (applied) => {
      if (applied.appendedHere && 'tick' in applied.entry) this.#listener(applied.events);
    });
  }

  get lobby(): Lobby {
    return this.replica.lobby;
  }

  async apply(command: LobbyCommand): Promise<LobbyResult<unknown>> {
    try {
      return await this.replica.run(command);
    } catch (err) {
      // Leadership moved between the forward and the append: nothing was applied; ask again.
      if (err instanceof NotLeaderError || err instanceof StaleEpochError) {
        throw new RelayError('timeout', 'the lobby is changing hands; please try again', { cause: err });
      }
      throw err;
    }
  }

  onDeadlines(listener: (events: LobbyEvent[]) => void): void {
    this.#listener = listener;
  }

  close(): void {
    this.replica.close();
  }
}
