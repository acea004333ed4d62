import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run atomically by Redis: sent once, then called by its SHA (EVALSHA), sent again
 * whenever the server does not know it (NOSCRIPT: after a restart or SCRIPT FLUSH).
 */
export class RedisScript {
  readonly #sha: string;

  constructor(
    readonly name: string,
    private readonly source: string,
  ) {
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
