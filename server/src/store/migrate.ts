import { Migrator, type Kysely } from 'kysely';
import { isSqliteBusy } from './dbErrors';
import type { StoreEngine } from './location';
import { migrationsFor } from './migrations/index';
import type { Database } from './schema';

const MAX_ATTEMPTS = 5;

/**
 * Applies pending migrations. Safe to run on every open: applied ones are skipped.
 *
 * Several processes may migrate a fresh database at once (the server and the accounts CLI; on
 * PostgreSQL, every node of a centre starting together).
 * - PostgreSQL: Kysely's Migrator holds a session advisory lock (pg_advisory_lock) around the run
 *   and tolerates the race on creating its own tables, so the others wait and then find nothing
 *   to do. Any error there is real: no retry.
 * - SQLite: there is no lock to wait on; the loser gets SQLITE_BUSY when its transaction tries to
 *   write. By then the winner has migrated, so a retry finds nothing to do.
 */
export async function migrateToLatest(db: Kysely<Database>, engine: StoreEngine): Promise<void> {
  const migrations = migrationsFor(engine);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...migrations }) } });
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (error === undefined) return;
    if (engine !== 'sqlite' || attempt >= MAX_ATTEMPTS || !isSqliteBusy(error)) throw error;
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
  }
}
