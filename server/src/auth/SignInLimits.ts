/**
 * How many sign-in attempts may be tried, per account name and per client address.
 *
 * - Per account name (whatever address the guesses come from): a few failures are free (typos),
 *   then each further failure locks that name for twice as long as the last, up to a few minutes.
 *   Guessing one password from many addresses gets a handful of tries an hour; the account's owner
 *   waits minutes at worst, and nobody else behind their address waits at all.
 * - Per address: a ceiling far above what one office's typos reach, so that one address cannot try
 *   a few passwords on each of many accounts (spraying), yet everyone behind a call centre's NAT can
 *   still sign in.
 *
 * An attempt counts as a failure when it starts and is taken back when it succeeds: guesses sent in
 * parallel cannot all pass before the first one fails. Unknown names are counted like known ones,
 * so the limits say nothing about which names exist. Kept in this process: in a cluster each node
 * counts on its own (see the README).
 */
export interface SignInLimitOptions {
  /** Failures of one account name before each further one locks it. */
  freeFailures: number;
  /** The first lock; each further failure doubles it, up to `maxLockMs`. */
  firstLockMs: number;
  maxLockMs: number;
  /** An account name's failures are forgotten this long after its last one. */
  forgetAfterMs: number;
  /** Failed attempts one address may make per window, whatever names it tries. */
  addressFailures: number;
  addressWindowMs: number;
}

export const SIGN_IN_LIMITS: SignInLimitOptions = {
  freeFailures: 5,
  firstLockMs: 5_000,
  maxLockMs: 5 * 60_000,
  forgetAfterMs: 15 * 60_000,
  addressFailures: 100,
  addressWindowMs: 15 * 60_000,
};

/** Beyond this many names or addresses, the ones with nothing left to remember are dropped first. */
const MAX_ENTRIES = 50_000;

interface NameState {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

interface AddressState {
  windowStart: number;
  failures: number;
}

export type SignInAttempt = { allowed: true } | { allowed: false; retryAfterMs: number };

export class SignInLimits {
  readonly #names = new Map<string, NameState>();
  readonly #addresses = new Map<string, AddressState>();

  constructor(
    private readonly clock: () => number,
    private readonly options: SignInLimitOptions = SIGN_IN_LIMITS,
  ) {}

  /** Starts an attempt, counted as failed until `succeeded`; or says how long to wait first. */
  attempt(address: string, username: string): SignInAttempt {
    const now = this.clock();
    const name = this.#name(username, now);
    const from = this.#address(address, now);
    const { addressFailures, addressWindowMs } = this.options;
    const wait = Math.max(
      name.lockedUntil - now,
      from.failures >= addressFailures ? from.windowStart + addressWindowMs - now : 0,
    );
    if (wait > 0) return { allowed: false, retryAfterMs: wait };
    from.failures++;
    this.#fail(name, now);
    this.#remember(this.#names, username, name, now);
    this.#remember(this.#addresses, address, from, now);
    return { allowed: true };
  }

  /** The attempt was right: the name's failures are forgotten, the address's attempt taken back. */
  succeeded(address: string, username: string): void {
    this.#names.delete(username);
    const from = this.#addresses.get(address);
    if (from && from.failures > 0) from.failures--;
  }

  #fail(name: NameState, now: number): void {
    const { freeFailures, firstLockMs, maxLockMs } = this.options;
    name.failures++;
    name.lastFailureAt = now;
    if (name.failures >= freeFailures) {
      const doublings = Math.min(name.failures - freeFailures, 30);
      name.lockedUntil = now + Math.min(maxLockMs, firstLockMs * 2 ** doublings);
    }
  }

  #name(username: string, now: number): NameState {
    const state = this.#names.get(username);
    if (state && now - state.lastFailureAt < this.options.forgetAfterMs) return state;
    return { failures: 0, lastFailureAt: now, lockedUntil: 0 };
  }

  #address(address: string, now: number): AddressState {
    const state = this.#addresses.get(address);
    if (state && now - state.windowStart < this.options.addressWindowMs) return state;
    return { windowStart: now, failures: 0 };
  }

  /** Re-inserts at the end (most recent last), and bounds the map. */
  #remember<S>(map: Map<string, S>, key: string, state: S, now: number): void {
    map.delete(key);
    map.set(key, state);
    if (map.size <= MAX_ENTRIES) return;
    this.#prune(now);
    // Still full (a flood of fresh names): the least recently failed go first.
    for (const oldest of map.keys()) {
      if (map.size <= MAX_ENTRIES) break;
      map.delete(oldest);
    }
  }

  #prune(now: number): void {
    const { forgetAfterMs, addressWindowMs } = this.options;
    for (const [key, s] of this.#names) {
      if (now - s.lastFailureAt >= forgetAfterMs && s.lockedUntil <= now) this.#names.delete(key);
    }
    for (const [key, s] of this.#addresses) {
      if (now - s.windowStart >= addressWindowMs) this.#addresses.delete(key);
    }
  }
}
