import type { Socket } from 'socket.io';
import {
  type Ack,
  type AckError,
  type ClientAcks,
  type ClientMessage,
  type ClientMessageName,
  ClientMessages,
} from '../../../common/protocol';
import type { Logger } from '../logger';
import { RelayError } from '../../../common/errors';
import { BadInput } from './badInput';

/** The last answer to a socket that sent too much bad input, just before it is disconnected. */
export const TOO_MUCH_BAD_INPUT = 'Too many messages that could not be understood: disconnecting.';
/** An event name is echoed and logged only this long: the name itself is the sender's to choose. */
const EVENT_NAME_SHOWN = 64;

/**
 * A RelayError is thrown on purpose (the media layer turns the client's own bad parameters into
 * one): its code and message reach the client as they are. Anything else is our fault: logged, and
 * answered without detail.
 */
function toAckError(err: unknown, log: Logger, event: string): AckError {
  if (err instanceof RelayError && err.code !== 'internal') return { code: err.code, message: err.message };
  log.error({ event, err }, 'handler failed');
  return { code: 'internal', message: 'Something went wrong on our side.' };
}

/** Told of every ack sent for a registered event: how long it took from arrival, and `ok` or its error code. */
export type AckObserver = (event: ClientMessageName, ms: number, outcome: 'ok' | AckError['code']) => void;

export type Handler<K extends ClientMessageName, S> = (
  payload: ClientMessage<K>,
  socket: S,
) => Promise<ClientAcks[K]> | ClientAcks[K];

type Route<S> = { handler: (payload: unknown, socket: S) => unknown; overlap: boolean };

/**
 * `overlap`: the message still waits for every message before it, but those after it do not wait
 * for it. For media requests that nothing sent later needs done first (a consume need not wait for
 * the camera's produce): the client asks for what depends on them only once they are answered,
 * and CallMedia refuses, cleanly, one whose transport went while it ran.
 */
export interface HandlerOptions {
  overlap?: boolean;
}

/**
 * A namespace's inbound messages, registered once for all of its sockets: each is parsed with its
 * schema before its handler sees it, and the client always gets `{ok: true, data}` or
 * `{ok: false, error}`. Handlers take the socket as an argument rather than closing over it, so a
 * connection costs one listener, not a closure per event (thousands of callers wait connected;
 * bench:signalling measures it). A socket's messages are handled one after another, so a client
 * cannot race its own requests (e.g. consume before its transport), except that one registered
 * with `overlap` lets those after it start.
 */
export class Routes<S extends Socket> {
  readonly #routes = new Map<string, Route<S>>();
  readonly #gone: ((socket: S) => void)[] = [];

  constructor(private readonly onAck?: AckObserver) {}

  on<K extends ClientMessageName>(name: K, handler: Handler<K, S>, options: HandlerOptions = {}): this {
    this.#routes.set(name, { handler: handler as Route<S>['handler'], overlap: options.overlap ?? false });
    return this;
  }

  /** Run for each socket of the namespace as it disconnects. */
  onDisconnect(then: (socket: S) => void): this {
    this.#gone.push(then);
    return this;
  }

  /**
   * Starts answering one connection. With `ready`, every message waits until that set-up settles;
   * if it fails, the connection is closed (a socket that could not be set up must not act).
   */
  serve(socket: S, log: Logger, ready?: Promise<void>): void {
    const inbox = new Inbox(socket, log, ready);
    socket.onAny((event: string, ...args: unknown[]) => this.#receive(inbox, event, args));
    socket.on('disconnect', () => {
      inbox.badInput?.flush();
      for (const then of this.#gone) then(socket);
    });
  }

  #receive(inbox: Inbox<S>, event: string, args: unknown[]): void {
    const route = this.#routes.get(event);
    const ack = args.at(-1);
    if (!route) {
      const name = event.slice(0, EVENT_NAME_SHOWN);
      inbox.refuse(name, { code: 'unknown-event', message: `"${name}" is not an event here` }, ack);
      return;
    }
    const name = event as ClientMessageName;
    if (typeof ack !== 'function') {
      inbox.refuse(name, { code: 'invalid-payload', message: `${name}: no acknowledgement callback` }, ack);
      return;
    }
    const started = performance.now();
    const reply = (r: Ack<unknown>) => {
      (ack as (r: Ack<unknown>) => void)(r);
      this.onAck?.(name, performance.now() - started, r.ok ? 'ok' : r.error.code);
    };
    const parsed = ClientMessages[name].safeParse(args.length > 1 ? args[0] : undefined);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      inbox.refuse(
        name,
        { code: 'invalid-payload', message: `${name}: ${where}${issue?.message ?? 'invalid'}` },
        reply,
      );
      return;
    }
    const handled = inbox.queue.then(async () => {
      try {
        reply({ ok: true, data: await route.handler(parsed.data, inbox.socket) });
      } catch (err) {
        const error = toAckError(err, inbox.log, name);
        // Told to slow down and still sending: counted like bad input, so a client that keeps on
        // (bench:media's stuck page sending 2,000 chats a second) is closed, not answered forever.
        if (error.code === 'rate-limited') inbox.refuse(name, error, reply);
        else reply({ ok: false, error });
      }
    });
    if (!route.overlap) inbox.queue = handled;
  }
}

/**
 * One connection's state: its messages run one after another, so a client cannot race its own
 * requests (e.g. consume before its transport), and its bad input is counted.
 */
class Inbox<S extends Socket> {
  queue: Promise<unknown>;
  /** Made on the first bad message: most sockets never send one. */
  badInput: BadInput | undefined;
  #closing = false;

  constructor(
    readonly socket: S,
    readonly log: Logger,
    ready: Promise<void> | undefined,
  ) {
    this.queue = ready
      ? ready.catch((err: unknown) => {
          log.error({ err }, 'connection set-up failed');
          socket.disconnect(true);
        })
      : Promise.resolve();
  }

  /**
   * Answers a message we cannot take, and counts it as bad input: past the socket's allowance
   * (badInput.ts) the client hears why, and the connection is closed.
   */
  refuse(event: string, error: AckError, ack: unknown): void {
    if (this.#closing) return;
    const reply = typeof ack === 'function' ? (ack as (r: Ack<never>) => void) : undefined;
    this.badInput ??= new BadInput(this.log);
    if (this.badInput.record(event, error.message)) {
      reply?.({ ok: false, error });
      return;
    }
    this.#closing = true;
    reply?.({ ok: false, error: { code: 'rate-limited', message: TOO_MUCH_BAD_INPUT } });
    this.socket.disconnect(true);
  }
}
