import { type Kysely, type Migration } from 'kysely';
import type { Ddl } from './ddl';

// A frozen snapshot like 001. One row per event of a call (store/callEvents.ts). The primary key is
// the id of the write that made it, so a write replayed from the record journal inserts nothing.
// `account_id` (the agent or volunteer the event names) is a column for per-person queries, with
// no foreign key: the log must take an event even for an account removed since. `type` has no
// CHECK for the same reason as call_records.mode: the list may grow; the repository validates it.
export const callEvents = (ddl: Ddl): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    const events = db.schema
      .createTable('call_events')
      .addColumn('op_id', 'text', (c) => c.primaryKey())
      .addColumn('call_id', 'text', (c) => c.notNull().references('call_records.id').onDelete('cascade'))
      .addColumn('at', ddl.epochMs, (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('data', 'text', (c) => c.notNull().check(ddl.json('data')));
    await ddl.strict(events).execute();
    await db.schema.createIndex('call_events_call_id').on('call_events').column('call_id').execute();
    await db.schema.createIndex('call_events_at').on('call_events').column('at').execute();
    await db.schema
      .createIndex('call_events_account_at')
      .on('call_events')
      .columns(['account_id', 'at'])
      .execute();
  },
});
