import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { RelaySqliteDialect } from './dialect';
import { DatabaseFileError } from './errors';
import type { Database } from './schema';

// The server and the accounts CLI may write at the same time; wait for the other's lock rather than fail.
const BUSY_TIMEOUT_MS = 5000;

/**
 * A Kysely over one better-sqlite3 connection to `file` (parent directories are created), or ':memory:'.
 * @throws DatabaseFileError when the file cannot be created, opened or written
 */
export function openSqlite(file: string): Kysely<Database> {
  const inMemory = file === ':memory:' || file === '';
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    sqlite = new BetterSqlite3(file);
    // WAL lets readers (stats, the CLI) run alongside the server's writes. It is also the first
    // write: a file that opened read-only (a read-only volume) fails here, not at the first call.
    sqlite.pragma('journal_mode = WAL');
    // SQLite leaves foreign keys off by default, per connection.
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (error) {
    sqlite?.close();
    if (inMemory) throw error;
    throw new DatabaseFileError(file, whyUnwritable(file, error), error);
  }
  return new Kysely<Database>({ dialect: new RelaySqliteDialect({ database: sqlite }) });
}

/** What an operator can act on: the folder's own state first, SQLite's words otherwise. */
function whyUnwritable(file: string, error: unknown): string {
  const dir = path.dirname(path.resolve(file));
  try {
    if (!fs.statSync(dir).isDirectory()) return `${dir} is not a folder`;
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return `${dir} is on a read-only file system (is its volume mounted read-only?)`;
    if (code === 'EACCES' || code === 'EPERM')
      return `${dir} is not writable by this user (uid ${process.getuid?.() ?? '?'})`;
    if (code === 'ENOTDIR') return `a part of ${dir} is a file, not a folder`;
  }
  const code = (error as { code?: unknown }).code;
  if (code === 'EEXIST' || code === 'ENOTDIR') return `a part of ${dir} is a file, not a folder`;
  if (code === 'SQLITE_READONLY') return 'the file is read-only (is its volume mounted read-only?)';
  return error instanceof Error ? error.message : String(error);
}
