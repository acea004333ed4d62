import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { openStore } from '../../../server/src/store';
import { dropPostgresDatabase, freshPostgresDatabase, GOOD_PASSWORD, makeTempDir, rawQuery } from './helpers';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = path.join(ROOT, 'server/src/cli/user.ts');

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as an operator would; stdin is a pipe, so it is never a TTY here. */
function runCli(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      // The operator's own database settings must not leak into the tests.
      env: { ...process.env, DATABASE_PATH: '', DATABASE_URL: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

describe('accounts CLI (end to end, sqlite)', () => {
  let dir: string;
  let db: string;
  let cleanup: () => void;
  let env: Record<string, string>;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    db = path.join(dir, 'data', 'relay.sqlite');
    env = { DATABASE_PATH: db };
  });
  afterEach(() => cleanup());

  const addMinji = [
    'add',
    '--role',
    'agent',
    '--username',
    'Minji',
    '--name',
    'Kim Min-ji',
    '--languages',
    'kvk, ko',
  ];

  it('adds an account with the password from stdin; the store can then verify it', async () => {
    const result = await runCli([...addMinji, '--password-stdin'], { stdin: `${GOOD_PASSWORD}\n`, env });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('Added agent "minji" (Kim Min-ji), languages kvk, ko.\n');

    const store = await openStore({ path: db });
    try {
      const account = await store.accounts.verifyPassword('minji', GOOD_PASSWORD);
      expect(account).toMatchObject({
        username: 'minji',
        role: 'agent',
        languages: ['kvk', 'ko'],
        approved: true,
      });
    } finally {
      await store.close();
    }
  });

  it('reads stdin without --password-stdin when stdin is not a terminal, and honours --db', async () => {
    const other = path.join(dir, 'other.sqlite');
    const result = await runCli([...addMinji, '--db', other], { stdin: GOOD_PASSWORD, env });
    expect(result.code).toBe(0);
    expect(rawQuery(other, 'select username from accounts')).toEqual([{ username: 'minji' }]);
  });

  it("sets an agent's shift from the calendar in SHIFTS, and shows that calendar", async () => {
    const roster = { ...env, SHIFTS: 'early=06:00-14:00@mon-fri;late=14:00-22:00' };
    const add = await runCli([...addMinji, '--shift', 'early'], { stdin: `${GOOD_PASSWORD}\n`, env: roster });
    expect(add).toMatchObject({
      code: 0,
      stdout: 'Added agent "minji" (Kim Min-ji), languages kvk, ko, early shift.\n',
    });
    const change = await runCli(['shift', '--username', 'minji', '--shift', 'late'], { env: roster });
    expect(change).toMatchObject({
      code: 0,
      stdout: '"minji" works the late shift now (from their next sign-in).\n',
    });
    expect(rawQuery(db, 'select shift from accounts')).toEqual([{ shift: 'late' }]);
    const typo = await runCli(['shift', '--username', 'minji', '--shift', 'lat'], { env: roster });
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toContain('--shift "lat" is not in the shift calendar (early, late; none to clear)');
    const none = await runCli(['shift', '--username', 'minji', '--shift', 'none'], { env: roster });
    expect(none).toMatchObject({ code: 0, stdout: '"minji" has no shift now.\n' });
    expect(rawQuery(db, 'select shift from accounts')).toEqual([{ shift: null }]);
    const nobody = await runCli(['shift', '--username', 'nobody', '--shift', 'late'], { env: roster });
    expect(nobody).toMatchObject({ code: 1, stderr: 'error: no account named "nobody"\n' });

    const shifts = await runCli(['shifts'], { env: roster });
    expect(shifts).toMatchObject({ code: 0, stderr: '' });
    expect(shifts.stdout.split('\n')).toEqual([
      'SHIFT  HOURS        DAYS',
      'early  06:00-14:00  mon,tue,wed,thu,fri',
      'late   14:00-22:00  every day',
      '',
    ]);
  });

  it('lists, changes a password and disables', async () => {
    await runCli(addMinji, { stdin: `${GOOD_PASSWORD}\n`, env });
    await runCli(
      ['add', '--role', 'volunteer', '--username', 'jun', '--name', 'Park Jun', '--languages', 'ko'],
      {
        stdin: `${GOOD_PASSWORD}\n`,
        env,
      },
    );

    const list = await runCli(['list'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')).toEqual([
      'USERNAME  ROLE       STATUS  LANGUAGES  SHIFT  NAME',
      'jun       volunteer  active  ko         -      Park Jun',
      'minji     agent      active  kvk,ko     -      Kim Min-ji',
      '',
    ]);
    expect((await runCli(['list', '--role', 'volunteer'], { env })).stdout).not.toContain('minji');

    const passwd = await runCli(['passwd', '--username', 'minji'], {
      stdin: 'the new long passphrase\n',
      env,
    });
    expect(passwd).toMatchObject({
      code: 0,
      stdout: 'Password changed for "minji"; their sign-ins have ended.\n',
    });
    const disable = await runCli(['disable', '--username', 'jun'], { env });
    expect(disable).toMatchObject({ code: 0, stdout: 'Disabled "jun"; their sign-ins have ended.\n' });

    const store = await openStore({ path: db });
    try {
      expect(await store.accounts.verifyPassword('minji', GOOD_PASSWORD)).toBeNull();
      expect(await store.accounts.verifyPassword('minji', 'the new long passphrase')).not.toBeNull();
      expect(await store.accounts.verifyPassword('jun', GOOD_PASSWORD)).toBeNull();
      expect(await store.accounts.findByUsername('jun')).toMatchObject({ disabled: true });
    } finally {
      await store.close();
    }
  });

  it('prints help and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run user -- <command>/);
    expect(result.stdout).toContain('--password-stdin');
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [
      ['add', '--role', 'admin', '--username', 'x1y', '--name', 'X', '--languages', 'ko'],
      /--role must be one of/,
    ],
    [['add', '--role', 'agent', '--name', 'X', '--languages', 'ko'], /--username is required/],
    [
      ['add', '--role', 'agent', '--username', 'abc', '--name', 'X', '--languages', 'ko_KR'],
      /"ko_KR" is not a BCP-47/,
    ],
    [['add', '--password', 'hunter2hunter2', '--role', 'agent'], /Unknown option '--password'/],
    [['disable'], /--username is required/],
  ])(
    'rejects a bad invocation %j with exit 2 and a message, without touching the database',
    async (args, message) => {
      const result = await runCli(args, { stdin: `${GOOD_PASSWORD}\n`, env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain('Run with --help for usage.');
      expect(result.stdout).toBe('');
      // Arguments are checked before the database is even opened.
      expect(fs.existsSync(db)).toBe(false);
    },
  );

  it('fails with exit 1 and a clear message on a short password, a duplicate or an unknown user', async () => {
    const short = await runCli(addMinji, { stdin: 'short\n', env });
    expect(short).toMatchObject({ code: 1, stderr: 'error: password: must be at least 12 characters\n' });
    const empty = await runCli(addMinji, { stdin: '', env });
    expect(empty).toMatchObject({ code: 1, stderr: 'error: no password on stdin\n' });

    expect((await runCli(addMinji, { stdin: `${GOOD_PASSWORD}\n`, env })).code).toBe(0);
    const duplicate = await runCli(addMinji, { stdin: `${GOOD_PASSWORD}\n`, env });
    expect(duplicate).toMatchObject({ code: 1, stderr: 'error: username "minji" is already taken\n' });

    const unknown = await runCli(['disable', '--username', 'nobody'], { env });
    expect(unknown).toMatchObject({ code: 1, stderr: 'error: no account named "nobody"\n' });
    expect(rawQuery(db, 'select username from accounts')).toEqual([{ username: 'minji' }]);
  });
});

describe('accounts CLI (end to end, postgres)', () => {
  let url: string;
  beforeEach(async () => {
    url = await freshPostgresDatabase();
  });
  afterEach(() => dropPostgresDatabase(url));

  const addJun = [
    'add',
    '--role',
    'volunteer',
    '--username',
    'jun',
    '--name',
    'Park Jun',
    '--languages',
    'ko',
  ];

  it('reads DATABASE_URL like the server (over DATABASE_PATH), and honours --db with a URL', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const file = path.join(dir, 'unused.sqlite');
      const env = { DATABASE_URL: url, DATABASE_PATH: file };
      const added = await runCli([...addJun, '--password-stdin'], { stdin: `${GOOD_PASSWORD}\n`, env });
      expect(added).toMatchObject({
        code: 0,
        stderr: '',
        stdout: 'Added volunteer "jun" (Park Jun), languages ko.\n',
      });
      const duplicate = await runCli(addJun, { stdin: `${GOOD_PASSWORD}\n`, env });
      expect(duplicate).toMatchObject({ code: 1, stderr: 'error: username "jun" is already taken\n' });
      const list = await runCli(['list', '--db', url], { env: { DATABASE_PATH: file } });
      expect(list).toMatchObject({ code: 0, stderr: '' });
      expect(list.stdout).toContain('jun       volunteer  active  ko         -      Park Jun');
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      cleanup();
    }

    const store = await openStore({ url });
    try {
      expect(await store.accounts.verifyPassword('jun', GOOD_PASSWORD)).toMatchObject({ role: 'volunteer' });
    } finally {
      await store.close();
    }
  });

  it('fails with exit 1 naming host:port, not the password, when PostgreSQL is not there', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as net.AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const result = await runCli(['list'], {
      env: { DATABASE_URL: `postgres://relay:hunter2@127.0.0.1:${port}/relay` },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: cannot open database "postgres://relay:***@127.0.0.1:${port}/relay": ` +
        `cannot connect to PostgreSQL at 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
  });
});
