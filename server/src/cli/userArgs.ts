/** Argument parsing for the accounts CLI: pure (argv and env in, a command out) so it is unit-testable. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { DatabaseUrl, PostgresUrl, ShiftsSetting } from '../config';
import { DEFAULT_SHIFTS, formatShift } from '../lobby';
import type { ShiftDefinition } from '../lobby/types';
import type { StoreLocation } from '../store/location';
import { ACCOUNT_ROLES, type AccountRole } from '../store/schema';
import { AccountRoleSchema, DisplayName, Languages, Username } from '../store/validation';

export const DEFAULT_DATABASE_PATH = 'data/relay.sqlite';

export const USAGE = `Usage: npm run user -- <command> [options]
   or: node --import tsx server/src/cli/user.ts <command> [options]
   or (in the container image): node dist/server/cli/user.js <command> [options]

Manage staff accounts: agents, supervisors and volunteer interpreters.

Commands:
  add       --role ${ACCOUNT_ROLES.join('|')} --username NAME --name "Display Name"
            --languages kvk,ko [--shift SHIFT] [--password-stdin]
  list      [--role ${ACCOUNT_ROLES.join('|')}]
  shift     --username NAME --shift SHIFT|none   an agent's shift (or none)
  shifts    the shift calendar the server runs (from $SHIFTS)
  passwd    --username NAME [--password-stdin]
  disable   --username NAME
  signout   --username NAME      sign the account out everywhere (every browser)

Changing a password, disabling and signing out end every sign-in of the account: a
running server disconnects its open pages within a few seconds.

Options for every command:
  --db PATH|URL     SQLite file or postgres:// URL (default: $DATABASE_URL, else
                    $DATABASE_PATH, else ${DEFAULT_DATABASE_PATH}), as the server reads them
  -h, --help        Show this help

Passwords are never given as arguments. With --password-stdin, or when stdin is not a
terminal, the password is read from stdin (a single line); otherwise you are asked for
it twice, without echo. Passwords need at least 12 characters.
Usernames: 3-32 characters of a-z, 0-9, '.', '_' and '-'.
Languages: comma-separated BCP-47 tags, e.g. kvk (Korean Sign Language), ko, en.
Shifts: names from the calendar in $SHIFTS, as the server reads it (default
${DEFAULT_SHIFTS.map(formatShift).join(';')}).

Example:
  printf '%s\\n' "$PASSWORD" | npm run user -- add --role agent --username minji \\
    --name "Kim Min-ji" --languages kvk,ko --password-stdin
`;

export type UserCommand =
  | { kind: 'help' }
  | {
      kind: 'add';
      db: StoreLocation;
      role: AccountRole;
      username: string;
      displayName: string;
      languages: string[];
      shift: string | null;
      passwordStdin: boolean;
    }
  | { kind: 'list'; db: StoreLocation; role?: AccountRole }
  | { kind: 'shift'; db: StoreLocation; username: string; shift: string | null }
  | { kind: 'shifts'; shifts: ShiftDefinition[] }
  | { kind: 'passwd'; db: StoreLocation; username: string; passwordStdin: boolean }
  | { kind: 'disable'; db: StoreLocation; username: string }
  | { kind: 'signout'; db: StoreLocation; username: string };

/** Bad invocation: the message says what is wrong; the caller prints usage hints and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
const DB = { db: { type: 'string' } } as const;
const COMMAND_OPTIONS = {
  add: {
    ...DB,
    role: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' },
    languages: { type: 'string' },
    shift: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  },
  list: { ...DB, role: { type: 'string' } },
  shift: { ...DB, username: { type: 'string' }, shift: { type: 'string' } },
  shifts: {},
  passwd: { ...DB, username: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  disable: { ...DB, username: { type: 'string' } },
  signout: { ...DB, username: { type: 'string' } },
} satisfies Record<Exclude<UserCommand['kind'], 'help'>, Options>;
type CommandName = keyof typeof COMMAND_OPTIONS;

export function parseUserArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): UserCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || argv.includes('--help') || argv.includes('-h')) {
    return { kind: 'help' };
  }
  if (!isCommandName(command)) throw new UsageError(`unknown command "${command}"`);
  const values = parseOptions(command, rest);
  if (command === 'shifts') return { kind: 'shifts', shifts: calendar(env) };
  const db = database(optional(values, 'db'), env);

  switch (command) {
    case 'add': {
      const role = check(AccountRoleSchema, required(values, 'role'), '--role');
      const shift = optional(values, 'shift');
      if (shift !== undefined && role !== 'agent') throw new UsageError('--shift: only agents have a shift');
      return {
        kind: 'add',
        db,
        role,
        username: check(Username, required(values, 'username'), '--username'),
        displayName: check(DisplayName, required(values, 'name'), '--name'),
        languages: check(Languages, splitList(required(values, 'languages')), '--languages'),
        shift: shift === undefined ? null : shiftOf(shift, env),
        passwordStdin: values['password-stdin'] === true,
      };
    }
    case 'shift': {
      const shift = required(values, 'shift');
      return {
        kind: 'shift',
        db,
        username: check(Username, required(values, 'username'), '--username'),
        shift: shift === 'none' ? null : shiftOf(shift, env),
      };
    }
    case 'list': {
      const role = optional(values, 'role');
      return role === undefined
        ? { kind: 'list', db }
        : { kind: 'list', db, role: check(AccountRoleSchema, role, '--role') };
    }
    case 'passwd':
      return {
        kind: 'passwd',
        db,
        username: check(Username, required(values, 'username'), '--username'),
        passwordStdin: values['password-stdin'] === true,
      };
    case 'disable':
    case 'signout':
      return { kind: command, db, username: check(Username, required(values, 'username'), '--username') };
  }
}

type ParsedValues = Partial<Record<string, string | boolean | (string | boolean)[]>>;

function parseOptions(command: CommandName, args: string[]): ParsedValues {
  try {
    const options: Options = COMMAND_OPTIONS[command];
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return values;
  } catch (error) {
    // parseArgs's own messages are clear ("Unknown option '--x'", "Option '--role <value>' argument missing").
    throw new UsageError(`${command}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** --db, else the server's own choice: DATABASE_URL, else DATABASE_PATH, else the default file. */
function database(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): StoreLocation {
  if (flag === '') throw new UsageError('--db must not be empty');
  if (flag !== undefined) {
    // Anything with a scheme is meant as a URL: refuse mysql://… rather than create a file named so.
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(flag) ? { url: check(PostgresUrl, flag, '--db') } : { path: flag };
  }
  const url = check(DatabaseUrl, env.DATABASE_URL, 'DATABASE_URL');
  return url === undefined ? { path: env.DATABASE_PATH || DEFAULT_DATABASE_PATH } : { url };
}

/** The calendar the server would run with this environment: a bad SHIFTS is refused as it would be there. */
function calendar(env: Readonly<Record<string, string | undefined>>): ShiftDefinition[] {
  return check(ShiftsSetting(), env.SHIFTS, 'SHIFTS');
}

/** A shift name that is in the calendar (a typo would otherwise count the agent under no shift). */
function shiftOf(name: string, env: Readonly<Record<string, string | undefined>>): string {
  const shifts = calendar(env);
  if (shifts.some((s) => s.name === name)) return name;
  throw new UsageError(
    `--shift "${name}" is not in the shift calendar (${shifts.map((s) => s.name).join(', ')}; none to clear)`,
  );
}

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_OPTIONS, name);
}

function optional(values: ParsedValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function required(values: ParsedValues, name: string): string {
  const value = optional(values, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

function check<S extends z.ZodType>(schema: S, value: unknown, flag: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new UsageError(`${flag} ${result.error.issues.map((i) => i.message).join('; ')}`);
  return result.data;
}

/** "kvk, ko," → ['kvk', 'ko']: tolerate spaces and a stray comma. */
function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
