import type { IncomingMessage } from 'node:http';
import type { Server } from 'socket.io';
import { clientAddress } from '../auth/clientAddress';
import { isAllowedOrigin } from '../auth/origins';
import type { Logger } from '../logger';

export interface ConnectionGuardOptions {
  /** Our pages' origins (empty: the request's own Host), as for state-changing HTTP requests. */
  allowedOrigins: readonly string[];
  /** Concurrent connections one client address may hold, every namespace together. */
  maxSocketsPerAddress: number;
  trustProxy: boolean;
  clock: () => number;
  log: Logger;
}

/** A refusal is logged once a minute per address and reason: a flood must not flood the log too. */
const LOG_EVERY_MS = 60_000;

/**
 * Who may open a socket.io connection at all, decided at the engine.io handshake (before any
 * namespace): a page of ours (by `Origin`), and a client address that holds fewer than
 * `maxSocketsPerAddress` connections. A connection is one engine.io session, however many
 * namespaces it carries; it counts until it closes. Refused handshakes get HTTP 403 (polling) or 400
 * (websocket) with the reason as the body.
 */
export class ConnectionGuard {
  readonly #open = new Map<string, number>();
  readonly #logged = new Map<string, number>();

  constructor(private readonly options: ConnectionGuardOptions) {}

  /** For `new Server(http, { allowRequest })`. */
  readonly allowRequest = (
    req: IncomingMessage,
    callback: (err: string | null | undefined, success: boolean) => void,
  ): void => {
    const { allowedOrigins, maxSocketsPerAddress, trustProxy } = this.options;
    const address = clientAddress(req, trustProxy);
    if (!isAllowedOrigin(req.headers, allowedOrigins)) {
      this.#warn(address, 'origin', { origin: req.headers.origin }, 'socket refused: not one of our origins');
      return callback('This page may not connect here (its origin is not allowed).', false);
    }
    if (this.openFrom(address) >= maxSocketsPerAddress) {
      this.#warn(
        address,
        'cap',
        { limit: maxSocketsPerAddress },
        'socket refused: too many from one address',
      );
      return callback(
        `Too many connections from this address (at most ${maxSocketsPerAddress}); close some tabs and retry.`,
        false,
      );
    }
    callback(null, true);
  };

  /** Counts the server's connections per address from now on, each until it closes. */
  track(io: Server): void {
    io.engine.on('connection', (conn) => {
      const address = clientAddress(conn.request, this.options.trustProxy);
      const count = this.openFrom(address) + 1;
      // Handshakes of one address racing each other may all have passed allowRequest: the cap holds anyway.
      if (count > this.options.maxSocketsPerAddress) {
        conn.close();
        return;
      }
      this.#open.set(address, count);
      conn.once('close', () => {
        const left = this.openFrom(address) - 1;
        if (left > 0) this.#open.set(address, left);
        else this.#open.delete(address);
      });
    });
  }

  openFrom(address: string): number {
    return this.#open.get(address) ?? 0;
  }

  #warn(address: string, reason: string, details: object, message: string): void {
    const key = `${reason} ${address}`;
    const now = this.options.clock();
    if (now - (this.#logged.get(key) ?? -Infinity) < LOG_EVERY_MS) return;
    this.#logged.set(key, now);
    if (this.#logged.size > 10_000) this.#logged.clear();
    this.options.log.warn({ address, ...details }, message);
  }
}
