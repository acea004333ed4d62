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
      db: DEFAULT_DATABASE_PATH,
      role: 'agent',
      username: 'minji',
      displayName: 'Kim Min-ji',
      languages: ['kvk', 'ko'],
      passwordStdin: false,
    });
    expect(parseUserArgs([...add, '--password-stdin'], {})).toMatchObject({ passwordStdin: true });
  });

  it('takes the database from --db, then DATABASE_PATH, then the default', () => {
    expect(parseUserArgs(['list', '--db', 'x.sqlite'], { DATABASE_PATH: 'env.sqlite' })).toEqual({
      kind: 'list',
      db: 'x.sqlite',
    });
    expect(parseUserArgs(['list'], { DATABASE_PATH: 'env.sqlite' })).toEqual({
      kind: 'list',
      db: 'env.sqlite',
    });
    expect(parseUserArgs(['list'], { DATABASE_PATH: '' })).toEqual({
      kind: 'list',
      db: DEFAULT_DATABASE_PATH,
    });
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
