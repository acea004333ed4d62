import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { StaffIdentity } from './AuthSessions';
import type { SessionBook } from './SessionBook';

const Stored = z.object({
  accountId: z.string().min(1),
  role: z.enum(['agent', 'supervisor', 'volunteer']),
  // Sessions written before generations existed are of generation 0, every account's first.
  generation: z.number().int().min(0).default(0),
});

/** Signed-in sessions every node of a cluster shares; Redis expires them with their cookie. */
export class RedisSessionBook implements SessionBook {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'relay:auth:',
  ) {}

  async put(id: string, identity: StaffIdentity, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + id, JSON.stringify(identity), 'PX', ttlMs);
  }

  async get(id: string): Promise<StaffIdentity | null> {
    const text = await this.redis.get(this.prefix + id);
    if (text === null) return null;
    // What Redis holds is input like any other: a value we did not write signs nobody in.
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    const parsed = Stored.safeParse(value);
    return parsed.success ? parsed.data : null;
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.prefix + id);
  }
}
