import { describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_PATH, parseUserArgs, UsageError } from '../../../server/src/cli/userArgs';

const add = [
  'add',
  '--role',
  'agent',
  '--username',
  'Minji',
  '--name',
  ' Kim Min-ji ',
  '--languages',
  'KVK, ko,',
];

describe('parseUserArgs', () => {
  it('parses add, normalising like the store does', () => {
    expect(parseUserArgs(add, {})).toEqual({
      kind: 'add',
      db: { path: DEFAULT_DATABASE_PATH },
      role: 'agent',
      username: 'minji',
      displayName: 'Kim Min-ji',
      languages: ['kvk', 'ko'],
      shift: null,
      passwordStdin: false,
    });
    expect(parseUserArgs([...add, '--password-stdin'], {})).toMatchObject({ passwordStdin: true });
  });

  it('takes the database from --db, then DATABASE_URL, then DATABASE_PATH, then the default', () => {
    const url = 'postgres://relay:secret@db.internal:5432/relay';
    const env = { DATABASE_URL: url, DATABASE_PATH: 'env.sqlite' };
    expect(parseUserArgs(['list', '--db', 'x.sqlite'], env)).toEqual({
      kind: 'list',
      db: { path: 'x.sqlite' },
    });
    expect(parseUserArgs(['list', '--db', 'postgresql://h/other'], env)).toEqual({
      kind: 'list',
      db: { url: 'postgresql://h/other' },
    });
    expect(parseUserArgs(['list'], env)).toEqual({ kind: 'list', db: { url } });
    expect(parseUserArgs(['list'], { DATABASE_URL: '', DATABASE_PATH: 'env.sqlite' })).toEqual({
      kind: 'list',
      db: { path: 'env.sqlite' },
    });
    expect(parseUserArgs(['list'], { DATABASE_PATH: '' })).toEqual({
      kind: 'list',
      db: { path: DEFAULT_DATABASE_PATH },
    });
  });

  it('refuses a database URL that is not PostgreSQL, without repeating it', () => {
    const refuse = (argv: string[], env: Record<string, string>) => () => parseUserArgs(argv, env);
    expect(refuse(['list', '--db', 'mysql://root:hunter2@h/db'], {})).toThrow(
      /^--db must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(refuse(['list'], { DATABASE_URL: 'sqlite://hunter2' })).toThrow(
      /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(refuse(['list'], { DATABASE_URL: 'sqlite://hunter2' })).not.toThrow(/hunter2/);
  });

  it('parses list, passwd and disable', () => {
    expect(parseUserArgs(['list', '--role', 'volunteer'], {})).toMatchObject({
      kind: 'list',
      role: 'volunteer',
    });
    expect(parseUserArgs(['passwd', '--username', 'jun', '--password-stdin'], {})).toMatchObject({
      kind: 'passwd',
      username: 'jun',
      passwordStdin: true,
    });
    expect(parseUserArgs(['disable', '--username', 'JUN'], {})).toMatchObject({
      kind: 'disable',
      username: 'jun',
    });
  });

  it("takes an agent's shift from the calendar the server reads (SHIFTS, else the default one)", () => {
    expect(parseUserArgs([...add, '--shift', 'night'], {})).toMatchObject({ kind: 'add', shift: 'night' });
    expect(parseUserArgs(['shift', '--username', 'Minji', '--shift', 'late-night'], {})).toEqual({
      kind: 'shift',
      db: { path: DEFAULT_DATABASE_PATH },
      username: 'minji',
      shift: 'late-night',
    });
    expect(parseUserArgs(['shift', '--username', 'minji', '--shift', 'none'], {})).toMatchObject({
      shift: null,
    });
    const roster = { SHIFTS: 'early=06:00-14:00@mon-fri;late=14:00-22:00' };
    expect(parseUserArgs([...add, '--shift', 'early'], roster)).toMatchObject({ shift: 'early' });
    expect(parseUserArgs(['shifts'], roster)).toEqual({
      kind: 'shifts',
      shifts: [
        { name: 'early', start: '06:00', end: '14:00', days: [1, 2, 3, 4, 5] },
        { name: 'late', start: '14:00', end: '22:00' },
      ],
    });
    expect(() => parseUserArgs([...add, '--shift', 'day'], roster)).toThrow(
      '--shift "day" is not in the shift calendar (early, late; none to clear)',
    );
    expect(() => parseUserArgs(['shifts'], { SHIFTS: 'early' })).toThrow(
      /^SHIFTS 'early' is not NAME=HH:MM-HH:MM\[@days\]/,
    );
  });

  it.each([[[]], [['help']], [['--help']], [['-h']], [['add', '--help']], [['list', '-h']]])(
    '%j means help',
    (argv) => {
      expect(parseUserArgs(argv, {})).toEqual({ kind: 'help' });
    },
  );

  it.each([
    [['nope'], 'unknown command "nope"'],
    [['--role', 'agent'], 'unknown command "--role"'],
    [['add', '--role', 'agent', '--username', 'minji', '--name', 'X'], '--languages is required'],
    [[...add.slice(0, 2), 'root', ...add.slice(3)], '--role must be one of agent, supervisor, volunteer'],
    [
      [...add.slice(0, 4), 'a b', ...add.slice(5)],
      "--username must be 3–32 characters using only a–z, 0–9, '.', '_' or '-'",
    ],
    [[...add.slice(0, 6), '', ...add.slice(7)], '--name must not be empty'],
    [
      [...add.slice(0, 6), 'Min\u200Bji', ...add.slice(7)],
      '--name must not contain invisible characters (U+200B)',
    ],
    [[...add.slice(0, 8), ' , '], '--languages at least one language is required'],
    [
      [...add.slice(0, 8), 'kvk,xx_YY'],
      '--languages "xx_YY" is not a BCP-47 language tag (e.g. kvk, ko, en-GB)',
    ],
    [[...add, '--password', 'hunter2hunter2'], "add: Unknown option '--password'"],
    [['list', '--username', 'x'], "list: Unknown option '--username'"],
    [['list', 'extra'], 'list: Unexpected argument'],
    [['list', '--role'], "list: Option '--role <value>' argument missing"],
    [['list', '--db', ''], '--db must not be empty'],
    [['disable'], '--username is required'],
    [['add', '--role', 'volunteer', ...add.slice(3), '--shift', 'day'], '--shift: only agents have a shift'],
    [['shift', '--username', 'minji'], '--shift is required'],
    [['shift', '--username', 'minji', '--shift', 'dawn'], '--shift "dawn" is not in the shift calendar'],
    [['shifts', '--db', 'x.sqlite'], "shifts: Unknown option '--db'"],
  ])('%j is a usage error', (argv, message) => {
    let error: unknown;
    try {
      parseUserArgs(argv, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(message);
  });
});
