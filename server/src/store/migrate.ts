import { Migrator, type Kysely } from 'kysely';
import { migrations } from './migrations/index';
import type { Database } from './schema';
import { sqliteErrorCode } from './sqliteErrors';

const MAX_ATTEMPTS = 5;

/**
 * Applies pending migrations. Safe to run on every open: applied ones are skipped.
 *
 * Two processes (the server and the accounts CLI) may open a fresh file at once. The loser of that
 * race gets SQLITE_BUSY when its transaction tries to write; by then the winner has migrated, so a
 * retry finds nothing to do.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...migrations }) } });
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (error === undefined) return;
    if (attempt >= MAX_ATTEMPTS || !sqliteErrorCode(error)?.startsWith('SQLITE_BUSY')) throw error;
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
  }
}
