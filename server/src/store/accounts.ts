import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { constraintViolation } from './dbErrors';
import { DuplicateUsernameError, NotFoundError, ValidationError } from './errors';
import { decoyVerify, hashPassword, verifyPassword } from './passwords';
import type { AccountRole, AccountRow, Database } from './schema';
import {
  AccountRoleSchema,
  Id,
  Languages,
  NewAccountInput,
  Password,
  ShiftName,
  parseInput,
} from './validation';

/** A staff account as the rest of the app sees it: never includes the password hash. */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: AccountRole;
  /** Canonical BCP-47 tags, e.g. ['kvk', 'ko']. */
  languages: string[];
  approved: boolean;
  disabled: boolean;
  /**
   * Goes up whenever the account's sign-ins must end (password changed, disabled, approval revoked,
   * signed out everywhere): a session made under an older generation is void.
   */
  sessionGeneration: number;
  /** An agent's shift (a name in the SHIFTS calendar); null for others and agents without one. */
  shift: string | null;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: AccountRole;
  languages: readonly string[];
  password: string;
  /** Defaults to true. */
  approved?: boolean;
  /** Agents only; defaults to none. */
  shift?: string | null;
}

export interface AccountRepository {
  /** @throws ValidationError, DuplicateUsernameError */
  create(input: NewAccount): Promise<Account>;
  /**
   * The account if the password is right and the account is not disabled, else null. Callers still
   * decide what an unapproved account may do.
   */
  verifyPassword(username: string, password: string): Promise<Account | null>;
  findById(id: string): Promise<Account | null>;
  /** The accounts of those ids that exist, in no particular order (unknown ids are left out). */
  findByIds(ids: readonly string[]): Promise<Account[]>;
  /** Case-insensitive: usernames are stored lowercase. */
  findByUsername(username: string): Promise<Account | null>;
  /** Ordered by username. */
  list(role?: AccountRole): Promise<Account[]>;
  /** Ends the account's sign-ins too. @throws ValidationError, NotFoundError */
  setPassword(id: string, password: string): Promise<void>;
  /** @throws ValidationError, NotFoundError */
  setLanguages(id: string, languages: readonly string[]): Promise<void>;
  /** An agent's shift, or null for none. @throws ValidationError (not an agent, bad name), NotFoundError */
  setShift(id: string, shift: string | null): Promise<void>;
  /** Ends the account's sign-ins too. Idempotent. @throws NotFoundError */
  disable(id: string): Promise<void>;
  /**
   * A supervisor approves (or revokes) an account; only approved accounts may sign in. Revoking
   * ends the account's sign-ins. Idempotent. @throws NotFoundError
   */
  setApproved(id: string, approved: boolean): Promise<void>;
  /** Signs the account out everywhere: every session and socket it has is refused from now on. @throws NotFoundError */
  endSessions(id: string): Promise<void>;
  /** Volunteers awaiting approval (not approved, not disabled), oldest registration first. */
  listPendingVolunteers(): Promise<Account[]>;
}

type PublicAccountRow = Omit<AccountRow, 'password_hash'>;
const PUBLIC_COLUMNS = [
  'id',
  'username',
  'display_name',
  'role',
  'languages',
  'approved',
  'created_at',
  'disabled',
  'session_generation',
  'shift',
] as const satisfies readonly (keyof PublicAccountRow)[];

const StoredLanguages = z.array(z.string());
const ENDS_SESSIONS = true;

export function createAccountRepository(db: Kysely<Database>, now: () => number): AccountRepository {
  const selectAccounts = () => db.selectFrom('accounts').select(PUBLIC_COLUMNS);

  return {
    async create(input) {
      const valid = parseInput(NewAccountInput, input);
      const row = {
        id: randomUUID(),
        username: valid.username,
        display_name: valid.displayName,
        role: valid.role,
        languages: JSON.stringify(valid.languages),
        password_hash: await hashPassword(valid.password),
        approved: valid.approved ? 1 : 0,
        created_at: now(),
        disabled: 0,
        session_generation: 0,
        shift: valid.shift,
      } as const;
      try {
        await db.insertInto('accounts').values(row).execute();
      } catch (error) {
        // The UNIQUE constraint is the source of truth: a check-then-insert would race.
        // The id is a fresh UUID, so the unique key that clashed is the username.
        if (constraintViolation(error) === 'unique') throw new DuplicateUsernameError(valid.username);
        throw error;
      }
      return toAccount(row);
    },

    async verifyPassword(username, password) {
      const row = await db
        .selectFrom('accounts')
        .selectAll()
        .where('username', '=', normaliseUsername(username))
        .executeTakeFirst();
      if (!row) {
        await decoyVerify(password);
        return null;
      }
      const { password_hash: hash, ...account } = row;
      // Disabled accounts pay the full KDF too, so timing doesn't reveal that they exist.
      const matches = await verifyPassword(password, hash);
      return matches && !account.disabled ? toAccount(account) : null;
    },

    async findById(id) {
      const row = await selectAccounts().where('id', '=', id).executeTakeFirst();
      return row ? toAccount(row) : null;
    },

    async findByIds(ids) {
      const valid = [...new Set(ids)].filter((id) => Id.safeParse(id).success);
      const found: Account[] = [];
      // Chunks keep each query under every engine's limit on bound parameters.
      for (let i = 0; i < valid.length; i += 500) {
        const rows = await selectAccounts()
          .where('id', 'in', valid.slice(i, i + 500))
          .execute();
        found.push(...rows.map(toAccount));
      }
      return found;
    },

    async findByUsername(username) {
      const row = await selectAccounts()
        .where('username', '=', normaliseUsername(username))
        .executeTakeFirst();
      return row ? toAccount(row) : null;
    },

    async list(role) {
      let query = selectAccounts().orderBy('username');
      if (role !== undefined) query = query.where('role', '=', parseInput(AccountRoleSchema, role, 'role'));
      return (await query.execute()).map(toAccount);
    },

    async setPassword(id, password) {
      const valid = parseInput(Password, password, 'password');
      const hash = await hashPassword(valid);
      await updateOne(id, { password_hash: hash }, ENDS_SESSIONS);
    },

    async setLanguages(id, languages) {
      const valid = parseInput(Languages, languages, 'languages');
      await updateOne(id, { languages: JSON.stringify(valid) });
    },

    async setShift(id, shift) {
      const valid = parseInput(ShiftName.nullable(), shift, 'shift');
      const account = await this.findById(parseInput(Id, id, 'id'));
      if (!account) throw new NotFoundError('account', id);
      if (valid !== null && account.role !== 'agent')
        throw new ValidationError([{ field: 'shift', message: 'only agents have a shift' }]);
      await updateOne(id, { shift: valid });
    },

    async disable(id) {
      await updateOne(id, { disabled: 1 }, ENDS_SESSIONS);
    },

    async setApproved(id, approved) {
      // Approving leaves sessions be (an unapproved account has none worth keeping anyway).
      await updateOne(id, { approved: approved ? 1 : 0 }, !approved);
    },

    async endSessions(id) {
      await updateOne(id, {}, ENDS_SESSIONS);
    },

    async listPendingVolunteers() {
      const rows = await selectAccounts()
        .where('role', '=', 'volunteer')
        .where('approved', '=', 0)
        .where('disabled', '=', 0)
        .orderBy('created_at')
        .orderBy('username')
        .execute();
      return rows.map(toAccount);
    },
  };

  async function updateOne(
    id: string,
    values: Partial<Pick<AccountRow, 'password_hash' | 'languages' | 'disabled' | 'approved' | 'shift'>>,
    endsSessions = false,
  ) {
    const result = await db
      .updateTable('accounts')
      .set((eb) => ({
        ...values,
        // In the same statement: a sign-in racing the change reads either both or neither.
        ...(endsSessions && { session_generation: eb('session_generation', '+', 1) }),
      }))
      .where('id', '=', parseInput(Id, id, 'id'))
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFoundError('account', id);
  }
}

/** Lookups accept any case; anything that isn't a valid username simply matches nothing. */
function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

function toAccount(row: PublicAccountRow): Account {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    languages: StoredLanguages.parse(JSON.parse(row.languages)),
    approved: row.approved === 1,
    disabled: row.disabled === 1,
    sessionGeneration: row.session_generation,
    shift: row.shift,
    createdAt: row.created_at,
  };
}
