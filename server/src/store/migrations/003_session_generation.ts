import { sql, type Kysely, type Migration } from 'kysely';

// A frozen snapshot like 001. A sign-in remembers its account's generation; the store adds one
// whenever the account's sign-ins must end (password changed, disabled, approval revoked, "sign out
// everywhere"), so a session or socket of an older generation is worth nothing. A counter rather
// than a timestamp: the CLI and the server may run on machines whose clocks disagree.
export const sessionGeneration = (): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('accounts')
      .addColumn('session_generation', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`session_generation >= 0`),
      )
      .execute();
  },
});
