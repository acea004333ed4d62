import type { Clock, Lobby } from '../lobby';

/**
 * How a lobby becomes a snapshot and back. The lobby's own serialiser (`lobby.snapshotState()` /
 * `Lobby.restore(state, config, clock)`) is being written elsewhere; this is the seam it plugs into:
 *
 *   { save: (lobby) => lobby.snapshotState(), restore: (state, clock) => Lobby.restore(state, config, clock) }
 *
 * Without a codec there are no snapshots: a new node replays the log from its beginning.
 */
export interface LobbyStateCodec {
  /** A JSON value of the whole state, fresh (not changed by later commands). */
  save(lobby: Lobby): unknown;
  /** The same state again, reading time from `clock` from now on. */
  restore(state: unknown, clock: Clock): Lobby;
}
