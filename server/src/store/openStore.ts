import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { createAccountRepository, type AccountRepository } from './accounts';
import { createCallRepository, type CallRepository } from './calls';
import { RelaySqliteDialect } from './dialect';
import { migrateToLatest } from './migrate';
import type { Database } from './schema';
import { createVolunteerProfileRepository, type VolunteerProfileRepository } from './volunteerProfiles';

export interface StoreOptions {
  /** SQLite file (parent directories are created), or ':memory:'. */
  path: string;
  /** Source of timestamps, ms since epoch; injectable for tests. */
  clock?: () => number;
}

export interface Store {
  readonly accounts: AccountRepository;
  readonly calls: CallRepository;
  readonly volunteers: VolunteerProfileRepository;
  /** Idempotent. */
  close(): Promise<void>;
}

// The server and the accounts CLI may write at the same time; wait for the other's lock rather than fail.
const BUSY_TIMEOUT_MS = 5000;

/** Opens (creating if needed) the database and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const sqlite = openSqlite(options.path);
  const db = new Kysely<Database>({ dialect: new RelaySqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const now = options.clock ?? Date.now;
  let closing: Promise<void> | undefined;
  return {
    accounts: createAccountRepository(db, now),
    calls: createCallRepository(db, now),
    volunteers: createVolunteerProfileRepository(db, now),
    close: () => (closing ??= db.destroy()),
  };
}

function openSqlite(file: string): BetterSqlite3.Database {
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
  return sqlite;
}
