// Messages between nodes: broadcasts on named channels, and requests to one named node that are
// answered or time out (never hang). Used to forward lobby commands to the leader and media
// requests to a call's host node. Payloads are JSON values.

export type Unsubscribe = () => Promise<void>;

/** Serves one request; what it returns (or resolves to) is the answer, what it throws the error. */
export type RequestHandler = (payload: unknown, from: string) => unknown;

export type BroadcastListener = (payload: unknown, from: string) => void;

export interface Bus {
  readonly nodeId: string;
  /** To every subscriber of `channel`, on every node (this one included). */
  publish(channel: string, payload: unknown): Promise<void>;
  subscribe(channel: string, listener: BroadcastListener): Promise<Unsubscribe>;
  /** Serves requests sent to this node on `channel` (one handler per channel). */
  handle(channel: string, handler: RequestHandler): Promise<Unsubscribe>;
  /**
   * Asks node `nodeId`. Rejects with RequestTimeoutError (naming the node) when no answer came in
   * `timeoutMs`, NodeUnreachableError when no such node listens, RemoteError when its handler
   * failed (with that error's code).
   */
  request(nodeId: string, channel: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  close(): Promise<void>;
}

/** How a Bus moves text between nodes: in memory, or Redis pub/sub. */
export interface BusTransport {
  /** To everyone listening on `topic`; resolves with how many listeners there were. */
  send(topic: string, text: string): Promise<number>;
  listen(topic: string, deliver: (text: string) => void): Promise<void>;
  unlisten(topic: string): Promise<void>;
  close(): Promise<void>;
}
