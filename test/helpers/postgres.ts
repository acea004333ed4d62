/**
 * A throwaway PostgreSQL server for tests: its own cluster in a temp dir, on a free port bound to
 * 127.0.0.1, never the system service. PostgreSQL refuses to run as root, so as root every server
 * command runs as the `postgres` user (which Debian's package creates).
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './waiting';

const run = promisify(execFile);

const PG_ROOT = '/usr/lib/postgresql';
const DIR_PREFIX = 'relay-pg-';
/** Holds the PID of the process that started the server, so a later run can tell it was orphaned. */
const OWNER_FILE = 'owner.pid';
const USER = 'relay';
const START_ATTEMPTS = 3;

export interface PostgresServer {
  /** Superuser URL of the server's `postgres` database. */
  readonly url: string;
  /** A new, empty database on this server; resolves to its URL. */
  createDatabase(): Promise<string>;
  /** Shuts the server down (`pg_ctl stop -m fast`) keeping its files, as an outage would. */
  halt(): Promise<void>;
  /** Starts a halted server again: same files, same port. */
  resume(): Promise<void>;
  /** Stops the server and removes its files. Idempotent. */
  stop(): Promise<void>;
  /** The same, synchronously: for a process 'exit' handler. */
  stopSync(): void;
}

/** Starts a fresh server; stop it with `stop()`. Clears up servers that crashed runs left behind. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  removeOrphans(bin);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(bin);
    } catch (error) {
      // The free port can be taken between picking it and the server binding it: pick another.
      if (attempt >= START_ATTEMPTS) throw error;
    }
  }
}

/** Creates a database named uniquely on the server at `serverUrl`; resolves to its URL. */
export async function createDatabase(serverUrl: string): Promise<string> {
  const name = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await asSuperuser(serverUrl, async (client) => {
    const { rows } = await client.query<{ v: number }>(
      "select current_setting('server_version_num')::int as v",
    );
    // FILE_COPY (PostgreSQL 15+) copies the small template in ~70 ms; the default WAL_LOG takes ~250.
    const strategy = (rows[0]?.v ?? 0) >= 150000 ? ' strategy file_copy' : '';
    await client.query(`create database ${name}${strategy}`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database `createDatabase` made, closing whatever connections were left open to it. */
export async function dropDatabase(serverUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^test_\d+_[0-9a-f]+$/.test(name)) throw new Error(`not a test database: ${name}`);
  await asSuperuser(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
}

async function asSuperuser<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The newest installed major version's bin directory. */
function postgresBinDir(): string {
  const versions = fs.existsSync(PG_ROOT)
    ? fs
        .readdirSync(PG_ROOT)
        .filter((v) => fs.existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')))
        .sort((a, b) => Number(a) - Number(b))
    : [];
  const newest = versions.at(-1);
  if (newest === undefined) {
    throw new Error(
      `PostgreSQL is not installed (no ${PG_ROOT}/*/bin/initdb): run \`node scripts/setup.mjs --for-tests\` ` +
        "(as root it installs Debian's postgresql)",
    );
  }
  return path.join(PG_ROOT, newest, 'bin');
}

/**
 * Production servers usually collate by a language's rules (en_US.UTF-8), not by bytes. The test
 * server does too (ICU 'en', PostgreSQL 15+), so a sort that depends on the server's locale shows up
 * here; the migrations pin byte order on the columns the store sorts by.
 */
function languageCollation(bin: string): string[] {
  const major = Number(path.basename(path.dirname(bin)));
  return major >= 15 ? ['--locale-provider=icu', '--icu-locale=en'] : [];
}

async function startOnce(bin: string): Promise<PostgresServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  const data = path.join(dir, 'data');
  try {
    giveToServerUser(dir);
    await asServerUser(bin, 'initdb', [
      ...['-D', data, '-A', 'trust', '-U', USER, '-E', 'UTF8', '--no-locale', '--no-sync'],
      ...languageCollation(bin),
    ]);
    const options = serverOptions(await freePort(), dir);
    await pgCtlStart(bin, dir, options);
  } catch (error) {
    stopSync(bin, dir);
    throw withServerLog(error, dir);
  }
  const port = await readPort(data);
  const url = `postgres://${USER}@127.0.0.1:${port.toString()}/postgres`;
  let stopped = false;
  const stopOnce = () => {
    if (stopped) return;
    stopped = true;
    stopSync(bin, dir);
  };
  return {
    url,
    createDatabase: () => createDatabase(url),
    halt: () => asServerUser(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    resume: () => pgCtlStart(bin, dir, serverOptions(port, dir)),
    stop: async () => stopOnce(),
    stopSync: stopOnce,
  };
}

function serverOptions(port: number, dir: string): string {
  // Durability is pointless for a throwaway cluster and costs most of the test time.
  return [
    `-p ${String(port)}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
}

function pgCtlStart(bin: string, dir: string, options: string): Promise<void> {
  const data = path.join(dir, 'data');
  return asServerUser(bin, 'pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', options, 'start']);
}

/**
 * Stops the server in `dir` (if it runs) and removes the directory. Synchronous, so it also works
 * from a process 'exit' handler. `immediate` skips the shutdown checkpoint: the data is thrown away.
 */
function stopSync(bin: string, dir: string): void {
  const data = path.join(dir, 'data');
  if (fs.existsSync(path.join(data, 'postmaster.pid'))) {
    try {
      execFileSync(...serverUserCommand(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']), {
        stdio: 'ignore',
      });
    } catch {
      // Already stopped (a stale pid file): nothing to stop.
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Servers whose starting process has died (a crashed or killed run): stop them and remove their files. */
function removeOrphans(bin: string): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    const owner = Number(readOrEmpty(path.join(dir, OWNER_FILE)));
    // Another run may be using its server right now (another worktree, a parallel vitest).
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) continue;
    try {
      stopSync(bin, dir);
    } catch {
      // Not ours to remove (another user's run): it cannot collide with ours anyway.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

const isRoot = () => process.getuid?.() === 0;

function giveToServerUser(dir: string): void {
  if (!isRoot()) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  fs.chownSync(dir, uid, gid);
  fs.chownSync(path.join(dir, OWNER_FILE), uid, gid);
}

/** As root: `runuser -u postgres -- <bin>/<tool> ...`; otherwise the tool itself, as the current user. */
function serverUserCommand(bin: string, tool: string, args: string[]): [string, string[]] {
  const command = path.join(bin, tool);
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function asServerUser(bin: string, tool: string, args: string[]): Promise<void> {
  // Output is captured, not inherited: pg_ctl and initdb chatter on success.
  await run(...serverUserCommand(bin, tool, args));
}

/** The port the server really listens on: line 4 of postmaster.pid. */
async function readPort(data: string): Promise<number> {
  const lines = (await fs.promises.readFile(path.join(data, 'postmaster.pid'), 'utf8')).split('\n');
  const port = Number(lines[3]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in ${data}/postmaster.pid`);
  return port;
}

function withServerLog(error: unknown, dir: string): Error {
  const stderr = (error as { stderr?: unknown }).stderr;
  const detail = typeof stderr === 'string' && stderr.trim() !== '' ? `\n${stderr.trim()}` : '';
  return new Error(`could not start a test PostgreSQL in ${dir}${detail}`, { cause: error });
}
