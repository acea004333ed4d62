/**
 * Call records that survive a database outage: each write goes to the database while it answers;
 * one that fails because it cannot be reached goes to the journal on local disk instead, and the
 * caller's call goes on as if it had been written. A background drain replays the journal, in
 * order, once the database answers again. While the journal holds anything, new writes join it
 * behind the older ones, so a record's writes reach the database in the order they were made.
 *
 * Nothing is written twice: every op is idempotent (see CallRepository.apply), so replaying an op
 * that did reach the database (a reply lost with the connection, a crash before the journal was
 * compacted) changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import type { Scheduler, Timer } from '../util/scheduler';
import type { CallRepository } from './calls';
import { isUnreachable } from './dbErrors';
import { type PresenceWrites, presenceWrites } from './presenceOps';
import { JournalFullError, type RecordJournal } from './RecordJournal';
import {
  type CallRecordWrites,
  type RecordOp,
  recordOp,
  type RecordOpInput,
  recordWrites,
} from './recordOps';

/** How long the drain waits after a failed attempt: doubling from `minMs`, at most `maxMs`. */
export interface DrainBackoff {
  minMs: number;
  maxMs: number;
}

// A retry is one cheap connection attempt; a few seconds keeps the catch-up soon after a restart.
const DEFAULT_BACKOFF: DrainBackoff = { minMs: 500, maxMs: 5000 };
const DRAIN_BATCH = 100;
// A database that stops answering without closing the connection (a network cut) would hold a
// write, and the caller waiting on it, for as long as TCP takes to notice: minutes.
const DEFAULT_WRITE_TIMEOUT_MS = 5000;

/** A write the database did not answer in time. It may still land: the replay of it is harmless. */
export class WriteTimeoutError extends Error {
  override name = 'WriteTimeoutError';
  constructor(readonly ms: number) {
    super(`the database did not answer a call-record write within ${String(ms)} ms`);
  }
}

export interface BufferedCallRecordsDeps {
  target: Pick<CallRepository, 'apply'>;
  journal: RecordJournal;
  scheduler: Scheduler;
  log: Logger;
  backoff?: DrainBackoff;
  /** How long a write may take before it counts as unreachable (default 5 s). */
  writeTimeoutMs?: number;
}

export class BufferedCallRecords implements CallRecordWrites, PresenceWrites {
  readonly #deps: BufferedCallRecordsDeps;
  readonly #backoff: DrainBackoff;
  /** Per record, the last write in progress: the next one for that record starts after it. */
  readonly #tails = new Map<string, Promise<void>>();
  #draining: Promise<boolean> | undefined;
  #timer: Timer | undefined;
  #failures = 0;
  #lost = 0;
  #closed = false;
  readonly #emptied: Array<() => void> = [];
  readonly #writes = recordWrites((fields) => this.#submit(fields));
  // The record id is made by the app, so a caller gets in line whether or not the database answers.
  readonly start = this.#writes.start;
  readonly answered = this.#writes.answered;
  readonly interpreterJoined = this.#writes.interpreterJoined;
  readonly ended = this.#writes.ended;
  readonly wrapUp = this.#writes.wrapUp;
  readonly rate = this.#writes.rate;
  readonly event = this.#writes.event;
  // Staff presence changes take the same path (their op's id is the account's): see presenceOps.ts.
  readonly presenceChanged = presenceWrites((fields, at) => this.#submit(fields, at)).presenceChanged;

  constructor(deps: BufferedCallRecordsDeps) {
    this.#deps = deps;
    this.#backoff = deps.backoff ?? DEFAULT_BACKOFF;
    const { recovery } = deps.journal;
    if (recovery.partialTail || recovery.damagedLines > 0) {
      deps.log.warn({ ...recovery, file: deps.journal.file }, 'call-record journal repaired on open');
    }
  }

  /** Ops waiting in the journal; ops lost because the journal was full (each logged as an error). */
  get stats(): { pending: number; bytes: number; lost: number } {
    return { pending: this.#deps.journal.length, bytes: this.#deps.journal.bytes, lost: this.#lost };
  }

  /**
   * Replays the journal now, in order, until it is empty or the database stops answering (then it
   * retries later, with backoff). Resolves `true` when the journal is empty.
   */
  drain(): Promise<boolean> {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#draining ??= this.#drainOnce().finally(() => {
      this.#draining = undefined;
      // An op journaled after the last pass looked (between its end and now) is not left behind.
      if (!this.#deps.journal.isEmpty) this.#retryLater();
    });
    return this.#draining;
  }

  /** Resolves once the journal is empty (at once if it is). */
  whenEmpty(): Promise<void> {
    if (this.#deps.journal.isEmpty) return Promise.resolve();
    return new Promise((resolve) => this.#emptied.push(resolve));
  }

  /** Stops draining and waits for writes in progress; what is left stays in the journal for the next start. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer?.cancel();
    await this.#draining;
    await Promise.all(this.#tails.values());
    this.#deps.journal.close();
  }

  async #submit(fields: RecordOpInput, at = this.#deps.scheduler.now()): Promise<void> {
    // Validated before anything else: a refused value is the caller's error, never journaled.
    const op = recordOp(fields, randomUUID(), at);
    const before = this.#tails.get(op.id) ?? Promise.resolve();
    const write = before.then(() => this.#write(op));
    const tail = write.catch(() => {});
    this.#tails.set(op.id, tail);
    void tail.then(() => {
      if (this.#tails.get(op.id) === tail) this.#tails.delete(op.id);
    });
    return write;
  }

  async #write(op: RecordOp): Promise<void> {
    if (!this.#deps.journal.isEmpty) return this.#keep(op);
    try {
      await this.#apply(op);
    } catch (error) {
      if (!unreachable(error)) throw error;
      this.#deps.log.warn(
        { err: error, op: op.kind },
        'database unreachable: call records go to the journal',
      );
      this.#keep(op);
    }
  }

  /**
   * At the bound the oldest ops are kept (later ops of their records need them) and this one is
   * lost, loudly; the call itself goes on. See RECORD_JOURNAL_MAX_BYTES in the README.
   */
  #keep(op: RecordOp): void {
    try {
      this.#deps.journal.append(op);
    } catch (error) {
      this.#lost++;
      const full = error instanceof JournalFullError;
      this.#deps.log.error(
        { err: error, op, lost: this.#lost },
        full
          ? 'call-record journal full: this write is lost'
          : 'could not journal a call-record write: it is lost',
      );
      return;
    }
    // A drain in progress takes it in its stride; otherwise one starts now.
    if (!this.#draining) this.#retryLater(0);
  }

  async #drainOnce(): Promise<boolean> {
    const { journal, log } = this.#deps;
    const pending = journal.length;
    while (!this.#closed && !journal.isEmpty) {
      const batch = journal.peek(DRAIN_BATCH);
      let done = 0;
      try {
        for (const op of batch) {
          await this.#applyOrSkip(op);
          done++;
        }
      } catch (error) {
        journal.removeFirst(done);
        this.#failures++;
        // Once per outage at warn; every retry after it (each few seconds) only at debug.
        const level = this.#failures === 1 ? 'warn' : 'debug';
        log[level]({ err: error, pending: journal.length }, 'database still unreachable: journal kept');
        this.#retryLater();
        return false;
      }
      journal.removeFirst(done);
    }
    if (this.#closed) return journal.isEmpty;
    if (this.#failures > 0 || pending > 0)
      log.info({ written: pending }, 'call-record journal written to the database');
    this.#failures = 0;
    for (const resolve of this.#emptied.splice(0)) resolve();
    return true;
  }

  /** The op, applied, or a WriteTimeoutError once the database has taken too long to answer. */
  #apply(op: RecordOp): Promise<void> {
    const ms = this.#deps.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const timer = this.#deps.scheduler.after(ms, () => reject(new WriteTimeoutError(ms)));
      this.#deps.target.apply(op).then(
        () => {
          timer.cancel();
          resolve();
        },
        (error: unknown) => {
          timer.cancel();
          reject(error);
        },
      );
    });
  }

  /**
   * Replays one op. Unreachable: throws, and the op stays. Refused for good (a constraint, a record
   * that never got its start because the journal was full): logged as an error and skipped, because
   * retrying it forever would hold back every op behind it.
   */
  async #applyOrSkip(op: RecordOp): Promise<void> {
    try {
      await this.#apply(op);
    } catch (error) {
      if (unreachable(error)) throw error;
      this.#deps.log.error(
        { err: error, op },
        'a journaled call-record write was refused by the database: skipped',
      );
    }
  }

  /** Schedules a drain: after `ms`, or after the backoff for the failures so far. */
  #retryLater(ms?: number): void {
    if (this.#closed || this.#timer) return;
    const delay =
      ms ?? Math.min(this.#backoff.maxMs, this.#backoff.minMs * 2 ** Math.max(0, this.#failures - 1));
    this.#timer = this.#deps.scheduler.after(delay, () => {
      this.#timer = undefined;
      // Only the journal's own file can fail here (the database's failures are retried): say so.
      this.drain().catch((err: unknown) =>
        this.#deps.log.error({ err }, 'could not drain the call-record journal'),
      );
    });
  }
}

function unreachable(error: unknown): boolean {
  return error instanceof WriteTimeoutError || isUnreachable(error);
}
