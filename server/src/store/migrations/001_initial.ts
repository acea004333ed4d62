import { sql, type Kysely, type Migration } from 'kysely';
import type { Ddl } from './ddl';

// Values are written out rather than imported from schema.ts: a migration is a frozen snapshot and
// must produce the same schema even after the app's constants change.
export const initial = (ddl: Ddl): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    const accounts = db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) =>
        ddl
          .sorted(c)
          .notNull()
          .unique()
          .check(sql`username = lower(username)`),
      )
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('agent', 'supervisor', 'volunteer')`))
      .addColumn('languages', 'text', (c) => c.notNull().check(ddl.json('languages')))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('approved', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(1)
          .check(sql`approved in (0, 1)`),
      )
      .addColumn('created_at', ddl.epochMs, (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`disabled in (0, 1)`),
      );
    await ddl.strict(accounts).execute();

    // `mode` has no CHECK on purpose: the protocol may grow modes, and SQLite can only change a
    // CHECK by rebuilding the table. The repository validates it instead.
    const callRecords = db.schema
      .createTable('call_records')
      // Sorted by as the tie-breaker of the newest-first list.
      .addColumn('id', 'text', (c) => ddl.sorted(c).primaryKey())
      .addColumn('started_at', ddl.epochMs, (c) => c.notNull())
      .addColumn('answered_at', ddl.epochMs)
      .addColumn('ended_at', ddl.epochMs)
      .addColumn('caller_language', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.references('accounts.id'))
      .addColumn('interpreter_id', 'text', (c) => c.references('accounts.id'))
      .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('completed', 'abandoned', 'failed')`))
      .addColumn('waited_ms', ddl.epochMs, (c) => c.check(sql`waited_ms >= 0`))
      .addColumn('category', 'text')
      .addColumn('resolved', 'integer', (c) => c.check(sql`resolved in (0, 1)`))
      .addColumn('wrap_note', 'text')
      .addColumn('rating', 'integer', (c) => c.check(sql`rating between 1 and 5`));
    await ddl.strict(callRecords).execute();

    await db.schema.createIndex('call_records_started_at').on('call_records').column('started_at').execute();
    await db.schema.createIndex('call_records_agent_id').on('call_records').column('agent_id').execute();
    await db.schema
      .createIndex('call_records_interpreter_id')
      .on('call_records')
      .column('interpreter_id')
      .execute();
  },
});
