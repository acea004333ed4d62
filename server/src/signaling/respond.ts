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
 * Registers one inbound message: the payload is parsed with its schema before the handler sees it,
 * and the client always gets `{ok: true, data}` or `{ok: false, error}`. Handlers of one socket run
 * one after another, so a client cannot race its own requests (e.g. consume before its transport).
 */
export class Responder {
  readonly #known = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly socket: Socket,
    private readonly log: Logger,
    private readonly onAck?: AckObserver,
  ) {
    // Anything not registered gets a clear error, and changes nothing.
    socket.onAny((event: string, ...args: unknown[]) => {
      if (this.#known.has(event)) return;
      const ack = args.at(-1);
      log.warn({ event }, 'unknown event');
      if (typeof ack === 'function') {
        (ack as (r: Ack<never>) => void)({
          ok: false,
          error: { code: 'unknown-event', message: `"${event}" is not an event here` },
        });
      }
    });
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

  on<K extends ClientMessageName>(name: K, handler: Handler<K>): void {
    this.#known.add(name);
    const schema = ClientMessages[name];
    // Registered untyped on purpose: what arrives is unknown until the schema has parsed it.
    (this.socket as { on(event: string, listener: (...args: unknown[]) => void): unknown }).on(
      name,
      (...args: unknown[]) => {
        const ack = args.at(-1);
        if (typeof ack !== 'function') {
          this.log.warn({ event: name }, 'message without acknowledgement callback ignored');
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
          reply({
            ok: false,
            error: { code: 'invalid-payload', message: `${name}: ${where}${issue?.message ?? 'invalid'}` },
          });
          return;
        }
        this.#queue = this.#queue.then(async () => {
          try {
            const data = await handler(parsed.data as ClientMessage<K>);
            reply({ ok: true, data });
          } catch (err) {
            reply({ ok: false, error: toAckError(err, this.log, name) });
          }
        });
      },
    );
  }
}
