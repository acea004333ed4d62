/**
 * The call-record ops the database could not take yet, on local disk: one JSON line per op, fsync'd
 * before the op counts as kept. Only file handling lives here; when to write and replay is the
 * buffered writer's (BufferedCallRecords).
 *
 * Calls are synchronous on purpose: an append is a few hundred bytes and one fsync, made only while
 * the database is out, and no two appends can interleave in the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RecordOp } from './recordOps';

export interface JournalOptions {
  /** Bound on the file's size: an append past it is refused (JournalFullError), nothing is dropped. */
  maxBytes: number;
}

/** What opening found besides whole ops: a cut last line (a crash mid-append) or a damaged line. */
export interface JournalRecovery {
  partialTail: boolean;
  damagedLines: number;
}

export class JournalFullError extends Error {
  override name = 'JournalFullError';
  constructor(readonly maxBytes: number) {
    super(`the call-record journal is full (${String(maxBytes)} bytes)`);
  }
}

export class RecordJournal {
  readonly file: string;
  readonly recovery: JournalRecovery;
  readonly #maxBytes: number;
  readonly #ops: RecordOp[];
  /** How many of `#ops` are written to the database but still in the file (see `removeFirst`). */
  #done = 0;
  #bytes: number;
  #fd: number;

  private constructor(
    file: string,
    ops: RecordOp[],
    bytes: number,
    recovery: JournalRecovery,
    maxBytes: number,
  ) {
    this.file = file;
    this.#ops = ops;
    this.#bytes = bytes;
    this.recovery = recovery;
    this.#maxBytes = maxBytes;
    this.#fd = fs.openSync(file, 'a');
  }

  /**
   * Opens (creating its directory if needed) the journal `file` and reads what a previous run left.
   * A last line without its newline is an append a crash cut short: it was never acknowledged, so it
   * is dropped. A whole line that does not parse is skipped and counted. Either way the file is
   * rewritten with the good lines, so new appends never continue a broken one.
   */
  static open(file: string, options: JournalOptions): RecordJournal {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const lines = text.split('\n');
    const tail = lines.pop() ?? '';
    const ops: RecordOp[] = [];
    let damagedLines = 0;
    for (const line of lines) {
      const op = parseLine(line);
      if (op) ops.push(op);
      else damagedLines++;
    }
    const recovery = { partialTail: tail !== '', damagedLines };
    let bytes = Buffer.byteLength(text);
    if (recovery.partialTail || damagedLines > 0) bytes = rewrite(file, ops);
    return new RecordJournal(file, ops, bytes, recovery, options.maxBytes);
  }

  /** Ops not yet written to the database. */
  get length(): number {
    return this.#ops.length - this.#done;
  }

  get isEmpty(): boolean {
    return this.length === 0;
  }

  /** The file's size now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The oldest `count` ops not yet written, in order. */
  peek(count: number): readonly RecordOp[] {
    return this.#ops.slice(this.#done, this.#done + count);
  }

  /** Appends and fsyncs one op. @throws JournalFullError at the bound (the file is left as it was) */
  append(op: RecordOp): void {
    const line = `${JSON.stringify(op)}\n`;
    const size = Buffer.byteLength(line);
    if (this.#bytes + size > this.#maxBytes) throw new JournalFullError(this.#maxBytes);
    try {
      fs.writeSync(this.#fd, line);
      fs.fsyncSync(this.#fd);
    } catch (error) {
      // A short write (disk full) must not leave half a line for the next append to continue.
      fs.ftruncateSync(this.#fd, this.#bytes);
      throw error;
    }
    this.#bytes += size;
    this.#ops.push(op);
  }

  /**
   * The oldest `count` ops are in the database. The file is compacted once they are at least half of
   * it (emptied when they are all of it), so a long drain costs linear, not quadratic, rewriting; a
   * crash before that replays them, which the ops' idempotence makes harmless.
   */
  removeFirst(count: number): void {
    this.#done = Math.min(this.#ops.length, this.#done + count);
    if (this.#done === 0 || this.#done * 2 < this.#ops.length) return;
    this.#ops.splice(0, this.#done);
    this.#done = 0;
    if (this.#ops.length === 0) {
      fs.ftruncateSync(this.#fd, 0);
      fs.fsyncSync(this.#fd);
      this.#bytes = 0;
      return;
    }
    fs.closeSync(this.#fd);
    this.#bytes = rewrite(this.file, this.#ops);
    this.#fd = fs.openSync(this.file, 'a');
  }

  close(): void {
    fs.closeSync(this.#fd);
  }
}

function parseLine(line: string): RecordOp | undefined {
  try {
    const result = RecordOp.safeParse(JSON.parse(line));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the file with these ops, atomically (temp file, fsync, rename, fsync of the directory). */
function rewrite(file: string, ops: readonly RecordOp[]): number {
  const text = ops.map((op) => `${JSON.stringify(op)}\n`).join('');
  const temp = `${file}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  const dirFd = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
  return Buffer.byteLength(text);
}
