import type { Redis } from 'ioredis';
import { InvalidEntryError } from './errors';
import type { Lease, LeaseAttempt, LeaseHolder, LeaseStatus } from './Lease';
import { RedisScript } from './redisScript';
import { lobbyKeys, type LobbyKeys } from './redisKeys';

// KEYS[1] lease, KEYS[2] epoch; ARGV[1] nodeId, ARGV[2] ttl ms. Free or expired (Redis dropped the
// key) → a new epoch; otherwise who holds it and for how long.
const ACQUIRE = new RedisScript(
  'lease-acquire',
  `local current = redis.call('GET', KEYS[1])
if current then return {0, current, redis.call('PTTL', KEYS[1])} end
local epoch = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], epoch .. ':' .. ARGV[1], 'PX', ARGV[2])
return {1, epoch}`,
);

// KEYS[1] lease; ARGV[1] "<epoch>:<nodeId>", ARGV[2] ttl ms. Only the live holder, same epoch.
const RENEW = new RedisScript(
  'lease-renew',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`,
);

// KEYS[1] lease; ARGV[1] "<epoch>:<nodeId>".
const RELEASE = new RedisScript(
  'lease-release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`,
);

// KEYS[1] lease, KEYS[2] epoch: one consistent read of both.
const STATUS = new RedisScript(
  'lease-status',
  `return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1]), redis.call('GET', KEYS[2])}`,
);

/** The value stored in the lease key: who holds it under which epoch. */
export const leaseToken = (nodeId: string, epoch: number): string => `${epoch}:${nodeId}`;

function parseToken(token: unknown, expiresInMs: unknown): LeaseHolder {
  const text = typeof token === 'string' ? token : '';
  const colon = text.indexOf(':');
  const epoch = Number(text.slice(0, colon));
  if (colon < 1 || !Number.isSafeInteger(epoch) || typeof expiresInMs !== 'number') {
    throw new InvalidEntryError('lease value', JSON.stringify(token));
  }
  return { nodeId: text.slice(colon + 1), epoch, expiresInMs: Math.max(0, expiresInMs) };
}

function toInteger(value: unknown, what: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new InvalidEntryError(what, String(value));
  return n;
}

/** The lease in Redis: atomic Lua scripts, TTL in ms kept by Redis itself (PX). */
export class RedisLease implements Lease {
  readonly #keys: LobbyKeys;

  constructor(
    private readonly client: Redis,
    keyPrefix?: string,
  ) {
    this.#keys = lobbyKeys(keyPrefix);
  }

  async acquire(nodeId: string, ttlMs: number): Promise<LeaseAttempt> {
    const reply = await ACQUIRE.run(this.client, [this.#keys.lease, this.#keys.epoch], [nodeId, ttlMs]);
    if (!Array.isArray(reply)) throw new InvalidEntryError('lease reply', String(reply));
    if (reply[0] === 1) return { acquired: true, epoch: toInteger(reply[1], 'epoch') };
    return { acquired: false, holder: parseToken(reply[1], reply[2]) };
  }

  async renew(nodeId: string, epoch: number, ttlMs: number): Promise<boolean> {
    const reply = await RENEW.run(this.client, [this.#keys.lease], [leaseToken(nodeId, epoch), ttlMs]);
    return reply === 1;
  }

  async release(nodeId: string, epoch: number): Promise<boolean> {
    const reply = await RELEASE.run(this.client, [this.#keys.lease], [leaseToken(nodeId, epoch)]);
    return reply === 1;
  }

  async current(): Promise<LeaseStatus> {
    const reply = await STATUS.run(this.client, [this.#keys.lease, this.#keys.epoch], []);
    if (!Array.isArray(reply)) throw new InvalidEntryError('lease status', String(reply));
    const [token, ttl, epoch] = reply as unknown[];
    return {
      holder: token === null || token === undefined ? null : parseToken(token, ttl),
      epoch: epoch === null || epoch === undefined ? 0 : toInteger(epoch, 'epoch'),
    };
  }
}
