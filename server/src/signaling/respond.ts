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

export type Handler<K extends ClientMessageName> = (
  payload: ClientMessage<K>,
) => Promise<ClientAcks[K]> | ClientAcks[K];

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
 * Registers one inbound message: the payload is parsed with its schema before the handler sees it,
 * and the client always gets `{ok: true, data}` or `{ok: false, error}`. Handlers of one socket run
 * one after another, so a client cannot race its own requests (e.g. consume before its transport),
 * except that one registered with `overlap` lets those after it start.
 */
export class Responder {
  readonly #known = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();
  readonly #badInput: BadInput;
  #closing = false;

  constructor(
    private readonly socket: Socket,
    private readonly log: Logger,
    private readonly onAck?: AckObserver,
  ) {
    this.#badInput = new BadInput(log);
    // Anything not registered gets a clear error, and changes nothing.
    socket.onAny((event: string, ...args: unknown[]) => {
      if (this.#known.has(event)) return;
      const name = event.slice(0, EVENT_NAME_SHOWN);
      this.#refuse(name, { code: 'unknown-event', message: `"${name}" is not an event here` }, args.at(-1));
    });
    socket.on('disconnect', () => this.#badInput.flush());
  }

  /**
   * Answers a message we cannot take, and counts it as bad input: past the socket's allowance
   * (badInput.ts) the client hears why, and the connection is closed.
   */
  #refuse(event: string, error: AckError, ack: unknown): void {
    if (this.#closing) return;
    const reply = typeof ack === 'function' ? (ack as (r: Ack<never>) => void) : undefined;
    if (this.#badInput.record(event, error.message)) {
      reply?.({ ok: false, error });
      return;
    }
    this.#closing = true;
    reply?.({ ok: false, error: { code: 'rate-limited', message: TOO_MUCH_BAD_INPUT } });
    this.socket.disconnect(true);
  }

  /**
   * Holds every message until `ready` settles (set-up that must finish first). If it fails, the
   * connection is closed: a socket that could not be set up must not act.
   */
  after(ready: Promise<void>): void {
    this.#queue = this.#queue
      .then(() => ready)
      .catch((err: unknown) => {
        this.log.error({ err }, 'connection set-up failed');
        this.socket.disconnect(true);
      });
  }

  on<K extends ClientMessageName>(name: K, handler: Handler<K>, options: HandlerOptions = {}): void {
    this.#known.add(name);
    const schema = ClientMessages[name];
    // Registered untyped on purpose: what arrives is unknown until the schema has parsed it.
    (this.socket as { on(event: string, listener: (...args: unknown[]) => void): unknown }).on(
      name,
      (...args: unknown[]) => {
        const ack = args.at(-1);
        if (typeof ack !== 'function') {
          this.#refuse(
            name,
            { code: 'invalid-payload', message: `${name}: no acknowledgement callback` },
            ack,
          );
          return;
        }
        const started = performance.now();
        const reply = (r: Ack<ClientAcks[K]>) => {
          (ack as (r: Ack<ClientAcks[K]>) => void)(r);
          this.onAck?.(name, performance.now() - started, r.ok ? 'ok' : r.error.code);
        };
        const payload = args.length > 1 ? args[0] : undefined;
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
          const message = `${name}: ${where}${issue?.message ?? 'invalid'}`;
          this.#refuse(name, { code: 'invalid-payload', message }, reply);
          return;
        }
        const handled = this.#queue.then(async () => {
          try {
            const data = await handler(parsed.data as ClientMessage<K>);
            reply({ ok: true, data });
          } catch (err) {
            reply({ ok: false, error: toAckError(err, this.log, name) });
          }
        });
        if (!options.overlap) this.#queue = handled;
      },
    );
  }
}
