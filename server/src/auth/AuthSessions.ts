import { randomBytes } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import { InMemorySessionBook, type SessionBook } from './SessionBook';

export const SESSION_COOKIE = 'relay_session';

export interface StaffIdentity {
  accountId: string;
  role: 'agent' | 'supervisor' | 'volunteer';
  /** The account's session generation at sign-in: once the account's is higher, this session is void. */
  generation: number;
}

/**
 * Signed-in staff, by an opaque random cookie value kept server-side (so logout and expiry are
 * immediate and nothing about the account is in the cookie). Kept in a SessionBook: this process's
 * memory by default (a restart signs everyone out), or one every node shares.
 */
export class AuthSessions {
  readonly #book: SessionBook;

  constructor(
    clock: () => number,
    private readonly ttlMs = 12 * 60 * 60 * 1000,
    book?: SessionBook,
  ) {
    this.#book = book ?? new InMemorySessionBook(clock);
  }

  /** `generation` defaults to 0, a new account's. */
  async create(identity: Omit<StaffIdentity, 'generation'> & { generation?: number }): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const { accountId, role, generation = 0 } = identity;
    await this.#book.put(id, { accountId, role, generation }, this.ttlMs);
    return id;
  }

  async get(id: string | undefined): Promise<StaffIdentity | null> {
    return id ? this.#book.get(id) : null;
  }

  /** Reads the identity from a raw Cookie header (HTTP requests and socket.io handshakes alike). */
  async fromCookieHeader(header: string | undefined): Promise<StaffIdentity | null> {
    return this.get(this.cookieIdFrom(header));
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id) await this.#book.delete(id);
  }

  cookieIdFrom(header: string | undefined): string | undefined {
    return header ? parseCookies(header)[SESSION_COOKIE] : undefined;
  }
}
