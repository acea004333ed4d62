import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  type DirectoryEntry,
  type DirectorySeat,
  type SessionDirectory,
  tokenHash,
} from '../sessions/SessionDirectory';

const ROLE = z.enum(['caller', 'agent', 'interpreter']);
const ACCOUNT = z.string().min(1).nullable();
const Entry = z.strictObject({
  sessionId: z.string().min(1),
  matchId: z.string().min(1),
  hostNodeId: z.string().min(1),
  language: z.string().min(1),
  mode: z.enum(['video', 'text']),
  startedAt: z.number().int(),
  participants: z.array(
    z.strictObject({
      participantId: z.string().min(1),
      role: ROLE,
      accountId: ACCOUNT,
      tokenHash: z.string().min(1),
    }),
  ),
});
const Seat = z.strictObject({
  sessionId: z.string().min(1),
  participantId: z.string().min(1),
  role: ROLE,
  accountId: ACCOUNT,
});

function parse<T>(schema: z.ZodType<T>, text: string | null): T | null {
  if (text === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The live calls in Redis: one key per call, one per join token (by hash, never the token), and a
 * set of all calls. Each write is one MULTI, so a reader never sees half a call.
 */
export class RedisSessionDirectory implements SessionDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'relay:directory:',
  ) {}

  #session = (id: string) => `${this.prefix}session:${id}`;
  #join = (hash: string) => `${this.prefix}join:${hash}`;
  get #all(): string {
    return `${this.prefix}sessions`;
  }

  async put(entry: DirectoryEntry): Promise<void> {
    const tx = this.redis
      .multi()
      .set(this.#session(entry.sessionId), JSON.stringify(entry))
      .sadd(this.#all, entry.sessionId);
    for (const p of entry.participants) {
      const seat = {
        sessionId: entry.sessionId,
        participantId: p.participantId,
        role: p.role,
        accountId: p.accountId,
      };
      tx.set(this.#join(p.tokenHash), JSON.stringify(seat));
    }
    await tx.exec();
  }

  async forget(hash: string): Promise<void> {
    await this.redis.del(this.#join(hash));
  }

  async remove(entry: DirectoryEntry): Promise<void> {
    const tx = this.redis.multi().del(this.#session(entry.sessionId)).srem(this.#all, entry.sessionId);
    for (const p of entry.participants) tx.del(this.#join(p.tokenHash));
    await tx.exec();
  }

  async get(sessionId: string): Promise<DirectoryEntry | null> {
    return parse(Entry, await this.redis.get(this.#session(sessionId)));
  }

  async list(): Promise<DirectoryEntry[]> {
    const ids = await this.redis.smembers(this.#all);
    const entries = await Promise.all(ids.map((id) => this.get(id)));
    return entries.filter((e): e is DirectoryEntry => e !== null);
  }

  async authorize(token: string): Promise<DirectorySeat | null> {
    const seat = parse(Seat, await this.redis.get(this.#join(tokenHash(token))));
    if (!seat) return null;
    const entry = await this.get(seat.sessionId);
    // A token whose call is gone, or that the call no longer lists, authorizes nothing.
    if (!entry?.participants.some((p) => p.participantId === seat.participantId)) return null;
    return { ...seat, hostNodeId: entry.hostNodeId };
  }
}
