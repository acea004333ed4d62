import { SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';

/**
 * SQLite does support transactional DDL, but Kysely's adapter says it doesn't, so its Migrator would
 * run each migration outside a transaction and a crash mid-migration could leave half a schema.
 * Claiming support makes the Migrator wrap the whole run in one transaction.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class RelaySqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
