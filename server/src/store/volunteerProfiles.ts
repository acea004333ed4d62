import type { Kysely } from 'kysely';
import { z } from 'zod';
import { createAccountRepository, type Account } from './accounts';
import { NotFoundError, ValidationError, type ValidationIssue } from './errors';
import type { StoreEngine } from './location';
import type { Database, VolunteerProfileRow } from './schema';
import {
  DEFAULT_VOLUNTEER_TIME_ZONE,
  LANGUAGE_LEVELS,
  VolunteerProfilePatch,
  VolunteerRegistrationInput,
} from './validation';

export type LanguageLevel = (typeof LANGUAGE_LEVELS)[number];

/** One language a volunteer offers, with their own rating of it. `tag` is canonical BCP-47. */
export interface VolunteerLanguage {
  tag: string;
  level: LanguageLevel;
}

/**
 * A weekly availability window in Asia/Seoul (day 0 = Sunday, 'HH:MM', end may be '24:00'). The same
 * shape as the lobby's `WeeklyHours`, which the store may not import.
 */
export interface WeeklyHours {
  day: number;
  start: string;
  end: string;
}

export interface VolunteerProfile {
  accountId: string;
  /** 1–10, unique tags, Korean among them. */
  languages: VolunteerLanguage[];
  /** Sorted by day, then start; never overlapping within a day. */
  weeklyHours: WeeklyHours[];
  /** IANA time zone the volunteer lives in (hours are still stored in Asia/Seoul). */
  timeZone: string;
  /** E-mail or phone; personal data: only for the volunteer and supervisors. */
  contact: string | null;
  /** Milliseconds since the epoch. */
  updatedAt: number;
}

/** What a volunteer may change; fields left out keep their saved value. */
export interface VolunteerProfileInput {
  languages?: readonly VolunteerLanguage[];
  weeklyHours?: readonly WeeklyHours[];
  timeZone?: string;
  /** `null` or blank removes it. */
  contact?: string | null;
}

export interface VolunteerRegistration {
  username: string;
  displayName: string;
  password: string;
  languages: readonly VolunteerLanguage[];
  contact?: string | null;
  /** Defaults to Asia/Seoul. */
  timeZone?: string;
  /** Defaults to none; a volunteer may add them later in their profile. */
  weeklyHours?: readonly WeeklyHours[];
}

export interface VolunteerProfileRepository {
  /** The volunteer's profile, or null when the account has none (or does not exist). */
  getProfile(accountId: string): Promise<VolunteerProfile | null>;
  /**
   * Validates and saves, and sets the account's `languages` to the profile's tags in the same
   * transaction. A volunteer without a profile yet (made with the CLI) must send `languages`.
   * Nothing is written on error. @throws ValidationError (every bad field), NotFoundError
   */
  saveProfile(accountId: string, input: VolunteerProfileInput): Promise<VolunteerProfile>;
  /**
   * A new volunteer account (role 'volunteer', not approved) and its profile, in one transaction.
   * @throws ValidationError (every bad field), DuplicateUsernameError
   */
  register(input: VolunteerRegistration): Promise<Account>;
}

const StoredLanguages = z.array(z.object({ tag: z.string(), level: z.enum(LANGUAGE_LEVELS) }));
const StoredHours = z.array(z.object({ day: z.number(), start: z.string(), end: z.string() }));

export function createVolunteerProfileRepository(
  db: Kysely<Database>,
  now: () => number,
  engine: StoreEngine,
): VolunteerProfileRepository {
  return {
    async getProfile(accountId) {
      const row = await db
        .selectFrom('volunteer_profiles')
        .selectAll()
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return row ? toProfile(row) : null;
    },

    async saveProfile(accountId, input) {
      const patch = parseAll(VolunteerProfilePatch, input);
      // Everything inside goes through `trx`, never `db`: better-sqlite3 is one connection, and on
      // PostgreSQL `db` is another connection, outside the transaction.
      return db.transaction().execute(async (trx) => {
        // The patch is merged into what is saved, so concurrent saves of one profile must apply one
        // after the other. PostgreSQL: lock the account row until commit. SQLite runs one write
        // transaction at a time already (and has no FOR UPDATE).
        const account = await trx
          .selectFrom('accounts')
          .select(['id', 'role'])
          .where('id', '=', accountId)
          .$if(engine === 'postgres', (query) => query.forUpdate())
          .executeTakeFirst();
        if (!account) throw new NotFoundError('account', accountId);
        if (account.role !== 'volunteer') {
          throw new ValidationError([{ field: 'accountId', message: 'is not a volunteer account' }]);
        }
        const existing = await trx
          .selectFrom('volunteer_profiles')
          .selectAll()
          .where('account_id', '=', accountId)
          .executeTakeFirst();
        const current = existing ? toProfile(existing) : null;
        const languages = patch.languages ?? current?.languages;
        if (languages === undefined) {
          throw new ValidationError([{ field: 'languages', message: 'at least one language is required' }]);
        }
        const profile: VolunteerProfile = {
          accountId,
          languages,
          weeklyHours: patch.weeklyHours ?? current?.weeklyHours ?? [],
          timeZone: patch.timeZone ?? current?.timeZone ?? DEFAULT_VOLUNTEER_TIME_ZONE,
          contact: patch.contact !== undefined ? patch.contact : (current?.contact ?? null),
          updatedAt: now(),
        };
        const row = toRow(profile);
        await trx
          .insertInto('volunteer_profiles')
          .values(row)
          .onConflict((oc) => oc.column('account_id').doUpdateSet(row))
          .execute();
        if (patch.languages !== undefined) {
          await createAccountRepository(trx, now).setLanguages(
            accountId,
            languages.map((l) => l.tag),
          );
        }
        return profile;
      });
    },

    async register(input) {
      // Everything is checked before the transaction, so one bad field never costs a password hash.
      const valid = parseAll(VolunteerRegistrationInput, input);
      return db.transaction().execute(async (trx) => {
        const account = await createAccountRepository(trx, now).create({
          username: valid.username,
          displayName: valid.displayName,
          password: valid.password,
          role: 'volunteer',
          languages: valid.languages.map((l) => l.tag),
          approved: false,
        });
        await trx
          .insertInto('volunteer_profiles')
          .values(
            toRow({
              accountId: account.id,
              languages: valid.languages,
              weeklyHours: valid.weeklyHours ?? [],
              timeZone: valid.timeZone ?? DEFAULT_VOLUNTEER_TIME_ZONE,
              contact: valid.contact ?? null,
              updatedAt: now(),
            }),
          )
          .execute();
        return account;
      });
    },
  };
}

/**
 * Like `parseInput`, but names each issue by its full path (`weeklyHours.2.end`), so a form can mark
 * the exact row and control.
 */
function parseAll<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : 'input',
    message: issue.message,
  }));
  throw new ValidationError(issues);
}

function toRow(p: VolunteerProfile): VolunteerProfileRow {
  return {
    account_id: p.accountId,
    languages: JSON.stringify(p.languages.map(({ tag, level }) => ({ tag, level }))),
    weekly_hours: JSON.stringify(p.weeklyHours.map(({ day, start, end }) => ({ day, start, end }))),
    time_zone: p.timeZone,
    contact: p.contact,
    updated_at: p.updatedAt,
  };
}

function toProfile(row: VolunteerProfileRow): VolunteerProfile {
  return {
    accountId: row.account_id,
    languages: StoredLanguages.parse(JSON.parse(row.languages)),
    weeklyHours: StoredHours.parse(JSON.parse(row.weekly_hours)),
    timeZone: row.time_zone,
    contact: row.contact,
    updatedAt: row.updated_at,
  };
}
