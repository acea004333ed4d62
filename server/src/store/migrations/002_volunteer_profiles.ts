import { sql, type Kysely, type Migration } from 'kysely';
import type { Ddl } from './ddl';

// A frozen snapshot like 001: limits are written out, not imported. The repository validates the
// JSON contents; the CHECKs only keep obviously broken rows out.
export const volunteerProfiles = (ddl: Ddl): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    const profiles = db.schema
      .createTable('volunteer_profiles')
      .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
      .addColumn('languages', 'text', (c) => c.notNull().check(ddl.json('languages', 'array')))
      .addColumn('weekly_hours', 'text', (c) =>
        c.notNull().defaultTo('[]').check(ddl.json('weekly_hours', 'array')),
      )
      .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Asia/Seoul'))
      .addColumn('contact', 'text', (c) => c.check(sql`contact is null or length(contact) <= 200`))
      .addColumn('updated_at', ddl.epochMs, (c) => c.notNull());
    await ddl.strict(profiles).execute();
  },
});
