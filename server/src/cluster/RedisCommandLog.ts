import type { Redis } from 'ioredis';
import type { CommandLog, LogEntry, LogRecord, LogSnapshot, ReadOptions } from './CommandLog';
import { ClosedError, InvalidEntryError, LogTrimmedError, StaleEpochError } from './errors';
import { decodeEntry, decodeSnapshot, encodeEntry, encodeSnapshot } from './logCodec';
import { RedisScript } from './redisScript';
import { lobbyKeys, type LobbyKeys } from './redisKeys';

const DEFAULT_COUNT = 100;

// KEYS[1] lease, KEYS[2] position counter, KEYS[3] log; ARGV[1] epoch, ARGV[2] entry JSON.
// The fence: the live lease must carry this epoch. Checked and written in one atomic script, so a
// leader paused past its lease (or replaced) cannot add a single entry. 0 = refused.
const APPEND = new RedisScript(
  'log-append',
  `local holder = redis.call('GET', KEYS[1])
if not holder or string.match(holder, '^(%d+):') ~= ARGV[1] then return 0 end
local position = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[3], position .. '-0', 'epoch', ARGV[1], 'entry', ARGV[2])
return position`,
);

// KEYS[1] snapshot, KEYS[2] log; ARGV[1] after, ARGV[2] count. Refuses (-1) to read across a trim,
// which would silently skip entries.
const READ = new RedisScript(
  'log-read',
  `local trimmed = tonumber(redis.call('HGET', KEYS[1], 'position') or '0')
if tonumber(ARGV[1]) < trimmed then return {-1, trimmed} end
return {0, redis.call('XRANGE', KEYS[2], '(' .. ARGV[1] .. '-0', '+', 'COUNT', ARGV[2])}`,
);

// KEYS[1] snapshot, KEYS[2] log; ARGV[1] position, ARGV[2] snapshot JSON, ARGV[3] first id to keep.
// Only a newer snapshot replaces the kept one; the entries it covers go (XTRIM MINID, exact).
const SNAPSHOT = new RedisScript(
  'log-snapshot',
  `local kept = tonumber(redis.call('HGET', KEYS[1], 'position') or '-1')
if kept >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'position', ARGV[1], 'data', ARGV[2])
redis.call('XTRIM', KEYS[2], 'MINID', ARGV[3])
return 1`,
);

// KEYS[1] lease, KEYS[2] position counter, KEYS[3] log, KEYS[4] snapshot, KEYS[5] epoch counter;
// ARGV[1] epoch, ARGV[2] position, ARGV[3] snapshot JSON, ARGV[4] least epoch counter. Fenced as
// an append; the log starts again at the snapshot. 0 = refused.
const RESEED = new RedisScript(
  'log-reseed',
  `local holder = redis.call('GET', KEYS[1])
if not holder or string.match(holder, '^(%d+):') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[3])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[4], 'position', ARGV[2], 'data', ARGV[3])
if tonumber(redis.call('GET', KEYS[5]) or '0') < tonumber(ARGV[4]) then redis.call('SET', KEYS[5], ARGV[4]) end
return 1`,
);

/** One stream record as Redis returns it: [id, [field, value, …]]. */
function parseRecord(raw: unknown): LogRecord {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string' || !Array.isArray(raw[1])) {
    throw new InvalidEntryError('log record', JSON.stringify(raw));
  }
  const [id, flat] = raw as [string, unknown[]];
  const position = Number(id.endsWith('-0') ? id.slice(0, -2) : NaN);
  const fields = new Map<unknown, unknown>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i], flat[i + 1]);
  const epoch = Number(fields.get('epoch'));
  const json = fields.get('entry');
  if (
    !Number.isSafeInteger(position) ||
    position < 1 ||
    !Number.isSafeInteger(epoch) ||
    typeof json !== 'string'
  ) {
    throw new InvalidEntryError(`log record ${id}`, 'expected id "<position>-0" with epoch and entry');
  }
  return { position, epoch, entry: decodeEntry(json, `log entry ${position}`) };
}

function parseRecords(raw: unknown): LogRecord[] {
  if (!Array.isArray(raw)) throw new InvalidEntryError('log records', JSON.stringify(raw));
  return raw.map(parseRecord);
}

/** Records must follow `after` without a gap; a gap means they were trimmed under the reader. */
function contiguous(after: number, records: LogRecord[]): LogRecord[] {
  records.forEach((r, i) => {
    if (r.position !== after + 1 + i) throw new LogTrimmedError(after, r.position - 1);
  });
  return records;
}

/**
 * The command log in a Redis Stream. Entry ids are "<position>-0" from a counter, so positions are
 * plain numbers on every node. Appends are fenced by the lease's epoch in Lua; blocking reads use
 * a connection of their own (XREAD BLOCK holds it), which an abort unblocks (CLIENT UNBLOCK).
 */
export class RedisCommandLog implements CommandLog {
  readonly #keys: LobbyKeys;
  #blocking: Promise<{ client: Redis; id: number }> | null = null;
  #closed = false;

  constructor(
    private readonly client: Redis,
    keyPrefix?: string,
  ) {
    this.#keys = lobbyKeys(keyPrefix);
  }

  async append(epoch: number, entry: LogEntry): Promise<number> {
    if (this.#closed) throw new ClosedError('command log');
    const { lease, position, log } = this.#keys;
    const reply = await APPEND.run(this.client, [lease, position, log], [epoch, encodeEntry(entry)]);
    if (reply === 0) throw new StaleEpochError(epoch);
    if (typeof reply !== 'number' || !Number.isSafeInteger(reply)) {
      throw new InvalidEntryError('append reply', String(reply));
    }
    return reply;
  }

  async read(after: number, options: ReadOptions = {}): Promise<LogRecord[]> {
    const count = options.count ?? DEFAULT_COUNT;
    const found = await this.#readNow(after, count);
    const blockMs = options.blockMs ?? 0;
    if (found.length > 0 || blockMs <= 0 || this.#closed || options.signal?.aborted === true) return found;
    return this.#readBlocking(after, count, blockMs, options.signal);
  }

  async lastPosition(): Promise<number> {
    const value = await this.client.get(this.#keys.position);
    return value === null ? 0 : Number(value);
  }

  async saveSnapshot(snapshot: LogSnapshot): Promise<boolean> {
    if (this.#closed) throw new ClosedError('command log');
    const { snapshot: key, log } = this.#keys;
    const args = [snapshot.position, encodeSnapshot(snapshot), `${snapshot.position + 1}-0`];
    return (await SNAPSHOT.run(this.client, [key, log], args)) === 1;
  }

  async latestSnapshot(): Promise<LogSnapshot | null> {
    const data = await this.client.hget(this.#keys.snapshot, 'data');
    return data === null ? null : decodeSnapshot(data);
  }

  async reseed(epoch: number, snapshot: LogSnapshot, minEpoch: number): Promise<void> {
    if (this.#closed) throw new ClosedError('command log');
    const { lease, position, log, snapshot: key, epoch: epochKey } = this.#keys;
    const args = [epoch, snapshot.position, encodeSnapshot(snapshot), minEpoch];
    const reply = await RESEED.run(this.client, [lease, position, log, key, epochKey], args);
    if (reply !== 1) throw new StaleEpochError(epoch);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const blocking = this.#blocking;
    this.#blocking = null;
    if (blocking !== null) (await blocking.catch(() => null))?.client.disconnect();
  }

  async #readNow(after: number, count: number): Promise<LogRecord[]> {
    const reply = await READ.run(this.client, [this.#keys.snapshot, this.#keys.log], [after, count]);
    if (!Array.isArray(reply)) throw new InvalidEntryError('read reply', String(reply));
    if (reply[0] === -1) throw new LogTrimmedError(after, Number(reply[1]));
    return contiguous(after, parseRecords(reply[1]));
  }

  async #readBlocking(
    after: number,
    count: number,
    blockMs: number,
    signal?: AbortSignal,
  ): Promise<LogRecord[]> {
    const blocking = await this.#blockingClient();
    const unblock = (): void => {
      // The blocked XREAD returns nil at once, as if its time was up.
      this.client.client('UNBLOCK', blocking.id).catch(() => {});
    };
    signal?.addEventListener('abort', unblock, { once: true });
    try {
      const reply = await blocking.client.xread(
        'COUNT',
        count,
        'BLOCK',
        blockMs,
        'STREAMS',
        this.#keys.log,
        `${after}-0`,
      );
      if (reply === null) return [];
      const stream = reply[0];
      return stream === undefined ? [] : contiguous(after, parseRecords(stream[1]));
    } catch (error) {
      if (this.#closed) return []; // close() cut the blocking connection on purpose
      throw error;
    } finally {
      signal?.removeEventListener('abort', unblock);
    }
  }

  #blockingClient(): Promise<{ client: Redis; id: number }> {
    if (this.#blocking === null) {
      const client = this.client.duplicate({ commandTimeout: undefined, connectionName: 'lobby-log-tail' });
      client.on('error', () => {}); // reconnects by itself; the failed read reports the error
      const conn = { client, id: -1 };
      // A reconnected connection has a new id: keep the one UNBLOCK must name up to date.
      const refreshId = async (): Promise<void> => {
        conn.id = Number(await client.client('ID'));
      };
      client.on('ready', () => void refreshId().catch(() => {}));
      this.#blocking = refreshId().then(() => conn);
    }
    return this.#blocking;
  }
}
