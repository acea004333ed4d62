import { sql, type Kysely, type Migration } from 'kysely';
import type { Ddl } from './ddl';

// A frozen snapshot like 001. Staff presence over time: one row per stretch of one state (and, when
// away, one reason), opened by a change and closed by the next change of the same account. `state`
// and `reason` have no CHECK, like call_records.mode: the lobby may grow states and the reasons are
// configuration-like lists; the repository validates them. `ended_at` is NULL while the row is open.
export const presenceIntervals = (ddl: Ddl): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    const table = db.schema
      .createTable('presence_intervals')
      // The id of the change that opened it: replaying that change finds its row.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('agent', 'volunteer')`))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('started_at', ddl.epochMs, (c) => c.notNull())
      .addColumn('ended_at', ddl.epochMs)
      .addCheckConstraint('presence_intervals_order', sql`ended_at is null or ended_at >= started_at`);
    await ddl.strict(table).execute();
    // The open row of an account (every change looks for it), and the rows overlapping a range.
    await db.schema
      .createIndex('presence_intervals_account_open')
      .on('presence_intervals')
      .columns(['account_id', 'ended_at'])
      .execute();
    await db.schema
      .createIndex('presence_intervals_started_at')
      .on('presence_intervals')
      .column('started_at')
      .execute();
  },
});
