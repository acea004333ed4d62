import type { Kysely, Migration } from 'kysely';

// A frozen snapshot like 001. The shift an agent works (a name from the SHIFTS calendar), or NULL:
// supervisors count online agents per shift and, later, staffing per shift. Not constrained to the
// calendar's names here: the calendar is configuration and may change under stored accounts.
export const agentShift = (): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('accounts').addColumn('shift', 'text').execute();
  },
});
