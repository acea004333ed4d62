import type { Scheduler, Timer } from '../util/scheduler';
import type { CommandLog, LogEntry, LogRecord, LogSnapshot, ReadOptions } from './CommandLog';
import { ClosedError, LogTrimmedError, StaleEpochError } from './errors';
import { decodeEntry, decodeSnapshot, encodeEntry, encodeSnapshot } from './logCodec';

const DEFAULT_COUNT = 100;

interface Stored {
  position: number;
  epoch: number;
  /** Kept as JSON, as Redis keeps it, so both logs hand back the same values (and validate them). */
  json: string;
}

interface Waiter {
  wake: () => void;
}

/** Whose lease fences the appends: asked synchronously, so check and append are one step. */
export interface EpochFence {
  isLive(epoch: number): boolean;
}

/**
 * The command log in memory (one process, and tests): fenced by an InProcessLease, blocking reads
 * timed by the injected Scheduler, snapshots and trimming as in Redis.
 */
export class InProcessCommandLog implements CommandLog {
  #records: Stored[] = [];
  #last = 0;
  #snapshot: string | null = null;
  #trimmedThrough = 0;
  readonly #waiters = new Set<Waiter>();
  #closed = false;

  constructor(
    private readonly fence: EpochFence,
    private readonly scheduler: Scheduler,
  ) {}

  async append(epoch: number, entry: LogEntry): Promise<number> {
    if (this.#closed) throw new ClosedError('command log');
    if (!this.fence.isLive(epoch)) throw new StaleEpochError(epoch);
    this.#last += 1;
    this.#records.push({ position: this.#last, epoch, json: encodeEntry(entry) });
    for (const w of [...this.#waiters]) w.wake();
    return this.#last;
  }

  async read(after: number, options: ReadOptions = {}): Promise<LogRecord[]> {
    const found = this.#readNow(after, options.count ?? DEFAULT_COUNT);
    const blockMs = options.blockMs ?? 0;
    if (found.length > 0 || blockMs <= 0 || this.#closed || options.signal?.aborted === true) return found;
    await this.#waitForAppend(blockMs, options.signal);
    return this.#readNow(after, options.count ?? DEFAULT_COUNT);
  }

  async lastPosition(): Promise<number> {
    return this.#last;
  }

  async saveSnapshot(snapshot: LogSnapshot): Promise<boolean> {
    if (this.#closed) throw new ClosedError('command log');
    const kept = this.#snapshot === null ? null : decodeSnapshot(this.#snapshot);
    if (kept !== null && kept.position >= snapshot.position) return false;
    this.#snapshot = encodeSnapshot(snapshot);
    this.#records = this.#records.filter((r) => r.position > snapshot.position); // as XTRIM MINID
    this.#trimmedThrough = Math.max(this.#trimmedThrough, snapshot.position);
    return true;
  }

  async latestSnapshot(): Promise<LogSnapshot | null> {
    return this.#snapshot === null ? null : decodeSnapshot(this.#snapshot);
  }

  /** As in Redis; the epoch counter is the InProcessLease's, which nothing can lose. */
  async reseed(epoch: number, snapshot: LogSnapshot): Promise<void> {
    if (this.#closed) throw new ClosedError('command log');
    if (!this.fence.isLive(epoch)) throw new StaleEpochError(epoch);
    this.#snapshot = encodeSnapshot(snapshot);
    this.#records = [];
    this.#last = snapshot.position;
    this.#trimmedThrough = snapshot.position;
    for (const w of [...this.#waiters]) w.wake();
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const w of [...this.#waiters]) w.wake();
  }

  #readNow(after: number, count: number): LogRecord[] {
    if (after < this.#trimmedThrough) throw new LogTrimmedError(after, this.#trimmedThrough);
    // Positions are contiguous, so the first record after `after` is found by its offset.
    const first = this.#records[0]?.position ?? this.#last + 1;
    const from = Math.max(0, after + 1 - first);
    return this.#records.slice(from, from + count).map((r) => ({
      position: r.position,
      epoch: r.epoch,
      entry: decodeEntry(r.json, `log entry ${r.position}`),
    }));
  }

  #waitForAppend(blockMs: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      let timer: Timer | null = null;
      const waiter: Waiter = {
        wake: () => {
          this.#waiters.delete(waiter);
          timer?.cancel();
          signal?.removeEventListener('abort', waiter.wake);
          resolve();
        },
      };
      this.#waiters.add(waiter);
      timer = this.scheduler.after(blockMs, waiter.wake);
      signal?.addEventListener('abort', waiter.wake, { once: true });
    });
  }
}
