import type { Kysely } from 'kysely';
import { createAccountRepository, type AccountRepository } from './accounts';
import { createCallHistory, type CallHistory } from './callHistory';
import { createCallRepository, type CallRepository } from './calls';
import { engineOf, type StoreEngine, type StoreLocation } from './location';
import { migrateToLatest } from './migrate';
import { openPostgres } from './postgres';
import { createPresenceRepository, type PresenceRepository } from './presenceIntervals';
import type { Database } from './schema';
import { openSqlite } from './sqlite';
import { createVolunteerProfileRepository, type VolunteerProfileRepository } from './volunteerProfiles';

/**
 * `{ path }`: a SQLite file (parent directories are created), or ':memory:'.
 * `{ url }`: a PostgreSQL database, `postgres://user:password@host:port/database`.
 */
export type StoreOptions = StoreLocation & {
  /** Source of timestamps, ms since epoch; injectable for tests. */
  clock?: () => number;
};

export interface Store {
  readonly accounts: AccountRepository;
  readonly calls: CallRepository;
  /** Reading the calls of a range and their events (figures, the call list). */
  readonly history: CallHistory;
  readonly volunteers: VolunteerProfileRepository;
  /** Staff presence intervals (agents' and volunteers' states, and why they were away). */
  readonly presence: PresenceRepository;
  /** Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the database and brings its schema up to date. The same repositories
 * and migrations serve both engines.
 * @throws DatabaseUnreachableError when PostgreSQL cannot be reached
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const engine = engineOf(options);
  const db = options.url === undefined ? openSqlite(options.path) : await openPostgres(options.url);
  try {
    await migrateToLatest(db, engine);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return repositories(db, engine, options.clock ?? Date.now);
}

function repositories(db: Kysely<Database>, engine: StoreEngine, now: () => number): Store {
  let closing: Promise<void> | undefined;
  return {
    accounts: createAccountRepository(db, now),
    calls: createCallRepository(db, now),
    history: createCallHistory(db),
    volunteers: createVolunteerProfileRepository(db, now, engine),
    presence: createPresenceRepository(db),
    close: () => (closing ??= db.destroy()),
  };
}
