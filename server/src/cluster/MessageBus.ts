import { randomUUID } from 'node:crypto';
import type { Scheduler } from '../util/scheduler';
import type { BroadcastListener, Bus, BusTransport, RequestHandler, Unsubscribe } from './Bus';
import {
  broadcastSchema,
  broadcastTopic,
  directSchema,
  nodeTopic,
  type RequestMessage,
  type ResponseMessage,
} from './busMessages';
import { ClosedError, InvalidEntryError, NodeUnreachableError } from './errors';
import { PendingRequests } from './PendingRequests';

export interface MessageBusOptions {
  /** Told about a message that could not be read, or a reply that could not be sent. */
  onError?: (error: unknown) => void;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The code a failed handler's error travels with: its own `code` (a RelayError's), else 'internal'. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'internal';
}

/**
 * The Bus over any transport: envelopes, validation, request ids and timeouts live here, so the
 * in-process and Redis buses behave alike and differ only in how text moves.
 */
export class MessageBus implements Bus {
  readonly #listeners = new Map<string, Set<BroadcastListener>>();
  readonly #handlers = new Map<string, RequestHandler>();
  readonly #pending: PendingRequests;
  #ready: Promise<void> | null = null;
  #closed = false;

  constructor(
    readonly nodeId: string,
    private readonly transport: BusTransport,
    scheduler: Scheduler,
    private readonly options: MessageBusOptions = {},
  ) {
    this.#pending = new PendingRequests(scheduler);
  }

  /** Starts listening for requests and replies addressed to this node. */
  connect(): Promise<void> {
    this.#ready ??= this.transport.listen(nodeTopic(this.nodeId), (text) => this.#onDirect(text));
    return this.#ready;
  }

  async publish(channel: string, payload: unknown): Promise<void> {
    this.#open();
    await this.transport.send(broadcastTopic(channel), JSON.stringify({ from: this.nodeId, payload }));
  }

  async subscribe(channel: string, listener: BroadcastListener): Promise<Unsubscribe> {
    this.#open();
    let listeners = this.#listeners.get(channel);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(channel, listeners);
      await this.transport.listen(broadcastTopic(channel), (text) => this.#onBroadcast(channel, text));
    }
    listeners.add(listener);
    return async () => {
      const set = this.#listeners.get(channel);
      if (set === undefined || !set.delete(listener) || set.size > 0) return;
      this.#listeners.delete(channel);
      if (!this.#closed) await this.transport.unlisten(broadcastTopic(channel));
    };
  }

  async handle(channel: string, handler: RequestHandler): Promise<Unsubscribe> {
    this.#open();
    if (this.#handlers.has(channel)) throw new Error(`a handler for "${channel}" is already registered`);
    this.#handlers.set(channel, handler);
    await this.connect();
    return async () => {
      if (this.#handlers.get(channel) === handler) this.#handlers.delete(channel);
    };
  }

  async request(nodeId: string, channel: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    this.#open();
    await this.connect(); // the reply comes to this node's topic
    const id = randomUUID();
    const answer = this.#pending.wait(id, nodeId, channel, timeoutMs);
    // It may time out while the send below is still pending: observed here, returned to the caller.
    answer.catch(() => {});
    const message: RequestMessage = { kind: 'request', id, from: this.nodeId, channel, payload };
    try {
      const listeners = await this.transport.send(nodeTopic(nodeId), JSON.stringify(message));
      if (listeners === 0) this.#pending.fail(id, new NodeUnreachableError(nodeId, channel));
    } catch (error) {
      this.#pending.fail(id, error instanceof Error ? error : new Error(String(error)));
    }
    return answer;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending.failAll(new ClosedError('bus'));
    this.#listeners.clear();
    this.#handlers.clear();
    await this.transport.close();
  }

  #open(): void {
    if (this.#closed) throw new ClosedError('bus');
  }

  #onBroadcast(channel: string, text: string): void {
    const parsed = broadcastSchema.safeParse(parse(text));
    if (!parsed.success) {
      this.options.onError?.(new InvalidEntryError(`broadcast on "${channel}"`, text.slice(0, 120)));
      return;
    }
    for (const listener of [...(this.#listeners.get(channel) ?? [])]) {
      try {
        listener(parsed.data.payload, parsed.data.from);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }

  #onDirect(text: string): void {
    const parsed = directSchema.safeParse(parse(text));
    if (!parsed.success) {
      this.options.onError?.(new InvalidEntryError('direct message', text.slice(0, 120)));
      return;
    }
    const message = parsed.data;
    if (message.kind === 'response')
      this.#pending.settle(message); // unknown ids: nobody waits, ignored
    else void this.#serve(message);
  }

  async #serve(request: RequestMessage): Promise<void> {
    const base = { kind: 'response' as const, id: request.id, from: this.nodeId };
    let response: ResponseMessage;
    const handler = this.#handlers.get(request.channel);
    if (handler === undefined) {
      response = {
        ...base,
        ok: false,
        code: 'no-handler',
        message: `node ${this.nodeId} does not serve "${request.channel}"`,
      };
    } else {
      try {
        response = { ...base, ok: true, value: await handler(request.payload, request.from) };
      } catch (error) {
        response = {
          ...base,
          ok: false,
          code: errorCode(error),
          message: error instanceof Error ? error.message : String(error),
        };
      }
    }
    if (this.#closed) return;
    try {
      await this.transport.send(nodeTopic(request.from), JSON.stringify(response));
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
