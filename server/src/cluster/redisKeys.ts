// Where the lobby's replication lives in Redis. One hash tag ({…}) for all of them, so the fencing
// script (which reads the lease and writes the log) stays valid on a Redis Cluster too.

export const DEFAULT_KEY_PREFIX = '{relay-lobby}';

export interface LobbyKeys {
  /** "<epoch>:<nodeId>" with a TTL: the live lease. */
  lease: string;
  /** The latest epoch handed out; no TTL, only ever incremented. */
  epoch: string;
  /** The command log (a Stream); entry ids are "<position>-0". */
  log: string;
  /** The last position handed out (survives trimming). */
  position: string;
  /** Hash { position, data }: the latest snapshot. */
  snapshot: string;
}

export function lobbyKeys(prefix: string = DEFAULT_KEY_PREFIX): LobbyKeys {
  return {
    lease: `${prefix}:lease`,
    epoch: `${prefix}:epoch`,
    log: `${prefix}:log`,
    position: `${prefix}:log-position`,
    snapshot: `${prefix}:snapshot`,
  };
}
