// The lobby's replication log: every command the leader applies, with the `now` it applied it at,
// in order. Standbys apply the same entries to their own lobby; the pure lobby's determinism does
// the rest. Positions are 1, 2, 3, … (0 = before the first entry); they never repeat or skip.
import type { LobbyCommand } from '../lobby';

export type LogEntry = { now: number; command: LobbyCommand } | { now: number; tick: true };

/** An entry as stored: where it is and under which leader's epoch it was accepted. */
export interface LogRecord {
  position: number;
  epoch: number;
  entry: LogEntry;
}

/** The lobby's state as of `position` (every entry up to and including it applied). */
export interface LogSnapshot {
  position: number;
  /** The lobby clock's value then: the `now` of the entry at `position`. */
  now: number;
  /** Whatever the LobbyStateCodec made of it; JSON. */
  state: unknown;
}

export interface ReadOptions {
  /** At most this many records (default: an implementation's batch size). */
  count?: number;
  /** When nothing is there yet, wait up to this long for a new entry (default 0: answer at once). */
  blockMs?: number;
  /** Ends a blocked wait early (the read then resolves with what it has: nothing). */
  signal?: AbortSignal;
}

export interface CommandLog {
  /**
   * Appends after the last entry and returns its position, only if `epoch` is the epoch of the
   * live lease, checked atomically with the write; otherwise rejects with StaleEpochError and the
   * log is unchanged. So a leader paused past its lease cannot fork the log.
   */
  append(epoch: number, entry: LogEntry): Promise<number>;
  /**
   * Records after `after`, in order and without gaps. Rejects with LogTrimmedError when entries
   * after `after` were trimmed (restore from the latest snapshot), and with InvalidEntryError for
   * a record that is not what a leader writes.
   */
  read(after: number, options?: ReadOptions): Promise<LogRecord[]>;
  /** The position of the last entry appended (0 when none). */
  lastPosition(): Promise<number>;
  /**
   * Keeps `snapshot` if it is newer than the one kept, then trims the entries it covers, so the log
   * holds only what came after the latest snapshot. Returns whether it was kept.
   */
  saveSnapshot(snapshot: LogSnapshot): Promise<boolean>;
  latestSnapshot(): Promise<LogSnapshot | null>;
  /**
   * The store lost the log (Redis came back empty, or with an older AOF than the leader's state):
   * the leader starts it again from its own lobby. Fenced as `append` (StaleEpochError). Keeps
   * `snapshot` as the latest whatever was kept, drops every entry, makes `snapshot.position` the
   * last position, and raises the epoch counter to at least `minEpoch` where the log keeps one, so
   * the next election's epoch is above every earlier one.
   */
  reseed(epoch: number, snapshot: LogSnapshot, minEpoch: number): Promise<void>;
  close(): Promise<void>;
}
