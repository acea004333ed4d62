import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { RelaySqliteDialect } from './dialect';
import type { Database } from './schema';

// The server and the accounts CLI may write at the same time; wait for the other's lock rather than fail.
const BUSY_TIMEOUT_MS = 5000;

/** A Kysely over one better-sqlite3 connection to `file` (parent directories are created), or ':memory:'. */
export function openSqlite(file: string): Kysely<Database> {
  const inMemory = file === ':memory:' || file === '';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  try {
    // WAL lets readers (stats, the CLI) run alongside the server's writes.
    sqlite.pragma('journal_mode = WAL');
    // SQLite leaves foreign keys off by default, per connection.
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return new Kysely<Database>({ dialect: new RelaySqliteDialect({ database: sqlite }) });
}
