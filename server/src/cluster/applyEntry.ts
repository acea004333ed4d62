import { applyCommand, type Lobby, type LobbyResult } from '../lobby';
import type { LogEntry } from './CommandLog';

/**
 * Applies one log entry to a lobby exactly as every replica does (a snapshot codec that replays
 * entries must use this too). Its clock must already read the entry's `now`.
 *
 * Why the nextDeadline() call: the lobby drops stale deadlines lazily, when it looks at the top
 * of its heap, and a long-wait deadline that was stale can matter again (a requeued caller is
 * waiting again). So *when* nextDeadline() is asked changes which entry fires later, and the order
 * of a tick's events. The leader asks after every entry (to set its timer); asking after every
 * entry on every node keeps every heap identical.
 */
export function applyEntry(lobby: Lobby, entry: LogEntry): LobbyResult<unknown> {
  const result: LobbyResult<unknown> =
    'tick' in entry
      ? { ok: true, value: undefined, events: lobby.tick() }
      : applyCommand(lobby, entry.command);
  lobby.nextDeadline();
  return result;
}
