import { randomBytes } from 'node:crypto';
import { parse as parseCookies } from 'cookie';

export const SESSION_COOKIE = 'relay_session';

export interface StaffIdentity {
  accountId: string;
  role: 'agent' | 'supervisor' | 'volunteer';
}

/**
 * Signed-in staff, by an opaque random cookie value kept server-side (so logout and expiry are
 * immediate and nothing about the account is in the cookie). A restart signs everyone out.
 */
export class AuthSessions {
  readonly #sessions = new Map<string, StaffIdentity & { expiresAt: number }>();

  constructor(
    private readonly clock: () => number,
    private readonly ttlMs = 12 * 60 * 60 * 1000,
  ) {}

  create(identity: StaffIdentity): string {
    const id = randomBytes(32).toString('base64url');
    this.#sessions.set(id, { ...identity, expiresAt: this.clock() + this.ttlMs });
    return id;
  }

  get(id: string | undefined): StaffIdentity | null {
    if (!id) return null;
    const s = this.#sessions.get(id);
    if (!s) return null;
    if (s.expiresAt <= this.clock()) {
      this.#sessions.delete(id);
      return null;
    }
    return { accountId: s.accountId, role: s.role };
  }

  /** Reads the identity from a raw Cookie header (HTTP requests and socket.io handshakes alike). */
  fromCookieHeader(header: string | undefined): StaffIdentity | null {
    if (!header) return null;
    return this.get(parseCookies(header)[SESSION_COOKIE]);
  }

  destroy(id: string | undefined): void {
    if (id) this.#sessions.delete(id);
  }

  cookieIdFrom(header: string | undefined): string | undefined {
    return header ? parseCookies(header)[SESSION_COOKIE] : undefined;
  }
}
