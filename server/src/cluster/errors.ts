// The cluster's own failures, each a class so callers branch with `instanceof` and read its fields.
// They are not RelayErrors: none of them is the client's fault, and the node decides which code the
// client sees (e.g. a forwarded request that timed out becomes "try again", never a hang).

export type ClusterErrorCode =
  | 'stale-epoch'
  | 'not-leader'
  | 'request-timeout'
  | 'node-unreachable'
  | 'remote-error'
  | 'invalid-entry'
  | 'log-trimmed'
  | 'closed';

export class ClusterError extends Error {
  override name = 'ClusterError';

  constructor(
    readonly code: ClusterErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The store refused a write fenced by `epoch`: a newer leader exists (or this one's lease ran out). */
export class StaleEpochError extends ClusterError {
  override name = 'StaleEpochError';

  constructor(readonly epoch: number) {
    super('stale-epoch', `epoch ${epoch} is not the current lease epoch: this node no longer leads`);
  }
}

/** A command reached a node that is not (or no longer) the leader. */
export class NotLeaderError extends ClusterError {
  override name = 'NotLeaderError';

  constructor(readonly nodeId: string | null) {
    super('not-leader', `node ${nodeId ?? '(unnamed)'} is not the lobby's leader`);
  }
}

/** Nobody answered a request to `nodeId` within `timeoutMs`. */
export class RequestTimeoutError extends ClusterError {
  override name = 'RequestTimeoutError';

  constructor(
    readonly nodeId: string,
    readonly channel: string,
    readonly timeoutMs: number,
  ) {
    super('request-timeout', `node ${nodeId} did not answer "${channel}" within ${timeoutMs} ms`);
  }
}

/** No node `nodeId` is listening at all, so waiting for its answer would be pointless. */
export class NodeUnreachableError extends ClusterError {
  override name = 'NodeUnreachableError';

  constructor(
    readonly nodeId: string,
    readonly channel: string,
  ) {
    super('node-unreachable', `node ${nodeId} is not listening (request "${channel}")`);
  }
}

/** The remote handler failed; `remoteCode` is its error's code (a RelayError's code travels as is). */
export class RemoteError extends ClusterError {
  override name = 'RemoteError';

  constructor(
    readonly nodeId: string,
    readonly remoteCode: string,
    message: string,
  ) {
    super('remote-error', message);
  }
}

/** Something read from the network (a log entry, a snapshot, a bus message) is not what we wrote. */
export class InvalidEntryError extends ClusterError {
  override name = 'InvalidEntryError';

  constructor(
    readonly what: string,
    readonly detail: string,
  ) {
    super('invalid-entry', `invalid ${what}: ${detail}`);
  }
}

/** The entries after `after` were trimmed away (covered by a snapshot): restore from the snapshot. */
export class LogTrimmedError extends ClusterError {
  override name = 'LogTrimmedError';

  constructor(
    readonly after: number,
    readonly trimmedThrough: number,
  ) {
    super('log-trimmed', `log entries after ${after} are gone (trimmed through ${trimmedThrough})`);
  }
}

/** The component was closed. */
export class ClosedError extends ClusterError {
  override name = 'ClosedError';

  constructor(what: string) {
    super('closed', `${what} is closed`);
  }
}
