import { sql, type Kysely, type Migration } from 'kysely';

// A frozen snapshot like 001: limits are written out, not imported. The repository validates the
// JSON contents; the CHECKs only keep obviously broken rows out.
export const volunteerProfiles: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('volunteer_profiles')
      .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
      .addColumn('languages', 'text', (c) =>
        c.notNull().check(sql`json_valid(languages) and json_type(languages) = 'array'`),
      )
      .addColumn('weekly_hours', 'text', (c) =>
        c
          .notNull()
          .defaultTo('[]')
          .check(sql`json_valid(weekly_hours) and json_type(weekly_hours) = 'array'`),
      )
      .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Asia/Seoul'))
      .addColumn('contact', 'text', (c) => c.check(sql`contact is null or length(contact) <= 200`))
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .modifyEnd(sql`strict`)
      .execute();
  },
};
