import { applyCommand, type Lobby, type LobbyResult } from '../lobby';
import type { LogEntry } from './CommandLog';

/**
 * Applies one log entry to a lobby exactly as every replica does (a snapshot codec that replays
 * entries must use this too). Its clock must already read the entry's `now`. Reads such as
 * nextDeadline() change nothing that matters: a stale deadline never comes back to life, so
 * the leader (which asks after every entry, to set its timer) and a standby (which does not)
 * fire the same deadlines in the same order.
 */
export function applyEntry(lobby: Lobby, entry: LogEntry): LobbyResult<unknown> {
  return 'tick' in entry
    ? { ok: true, value: undefined, events: lobby.tick() }
    : applyCommand(lobby, entry.command);
}
