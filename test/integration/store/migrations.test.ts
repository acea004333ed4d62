import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseUnreachableError, openStore, type NewAccount } from '../../../server/src/store';
import {
  dropPostgresDatabase,
  freshPostgresDatabase,
  GOOD_PASSWORD,
  makeTempDir,
  rawQuery,
  STORE_ENGINES,
  useTempStore,
} from './helpers';
import { freePort as closedPort } from '../../helpers/waiting';

const MINJI: NewAccount = {
  username: 'minji',
  displayName: 'Kim Min-ji',
  role: 'agent',
  languages: ['kvk'],
  password: GOOD_PASSWORD,
};

/** Reads a PostgreSQL database directly, bypassing the store. */
async function pgQuery<T>(url: string, sql: string, ...params: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('openStore and migrations (sqlite)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it('creates parent directories and the schema in a real file', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'relay.sqlite');
    const store = await openStore({ path: file });
    await store.close();

    expect(fs.existsSync(file)).toBe(true);
    const tables = rawQuery<{ name: string }>(
      file,
      "select name from sqlite_master where type = 'table' order by name",
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'accounts',
        'call_events',
        'call_records',
        'kysely_migration',
        'kysely_migration_lock',
      ]),
    );
    const applied = rawQuery<{ name: string }>(file, 'select name from kysely_migration');
    expect(applied.map((m) => m.name)).toEqual([
      '001_initial',
      '002_volunteer_profiles',
      '003_session_generation',
      '004_agent_shift',
      '005_call_events',
      '006_presence_intervals',
    ]);
  });

  it('uses WAL journaling and enforces foreign keys', async () => {
    const file = path.join(dir, 'relay.sqlite');
    const store = await openStore({ path: file });
    const journal = rawQuery<{ journal_mode: string }>(file, 'pragma journal_mode');
    expect(journal[0]?.journal_mode).toBe('wal');

    // A foreign key violation only surfaces if the connection has foreign_keys on.
    const { id } = await store.calls.start({ callerLanguage: 'kvk', mode: 'video' });
    await expect(store.calls.answered(id, { agentId: 'no-such-account' })).rejects.toMatchObject({
      name: 'NotFoundError',
      entity: 'account',
    });
    await store.close();
  });

  it('is idempotent on reopen and keeps the data', async () => {
    const file = path.join(dir, 'relay.sqlite');
    const first = await openStore({ path: file });
    const account = await first.accounts.create(MINJI);
    await first.close();

    for (let i = 0; i < 3; i++) {
      const again = await openStore({ path: file });
      expect(await again.accounts.findById(account.id)).toEqual(account);
      await again.close();
    }
    expect(rawQuery(file, 'select name from kysely_migration')).toHaveLength(6);
  });

  it('survives two processes-worth of connections migrating a fresh file at once', async () => {
    const file = path.join(dir, 'relay.sqlite');
    const stores = await Promise.all([
      openStore({ path: file }),
      openStore({ path: file }),
      openStore({ path: file }),
    ]);
    await Promise.all(stores.map((s) => s.close()));
    expect(rawQuery(file, 'select name from kysely_migration')).toHaveLength(6);
  });

  it('works in memory', async () => {
    const store = await openStore({ path: ':memory:' });
    expect(await store.accounts.list()).toEqual([]);
    await store.close();
  });

  it('close is idempotent', async () => {
    const store = await openStore({ path: path.join(dir, 'relay.sqlite') });
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe('openStore and migrations (postgres)', () => {
  let url: string;
  beforeEach(async () => {
    url = await freshPostgresDatabase();
  });
  afterEach(() => dropPostgresDatabase(url));

  it('creates the schema, with 64-bit timestamps, in a fresh database', async () => {
    const store = await openStore({ url });
    await store.close();

    const tables = await pgQuery<{ name: string }>(
      url,
      `select table_name as name from information_schema.tables
       where table_schema = current_schema() order by table_name`,
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'accounts',
        'call_events',
        'call_records',
        'kysely_migration',
        'kysely_migration_lock',
      ]),
    );
    const applied = await pgQuery<{ name: string }>(url, 'select name from kysely_migration order by name');
    expect(applied.map((m) => m.name)).toEqual([
      '001_initial',
      '002_volunteer_profiles',
      '003_session_generation',
      '004_agent_shift',
      '005_call_events',
      '006_presence_intervals',
    ]);
    // A 32-bit integer would overflow on any millisecond timestamp after January 1970.
    const timestamps = await pgQuery<{ table_name: string; column_name: string; data_type: string }>(
      url,
      `select table_name, column_name, data_type from information_schema.columns
       where table_schema = current_schema() and column_name in ('created_at', 'started_at', 'updated_at')
       order by table_name`,
    );
    expect(timestamps).toEqual([
      { table_name: 'accounts', column_name: 'created_at', data_type: 'bigint' },
      { table_name: 'call_records', column_name: 'started_at', data_type: 'bigint' },
      { table_name: 'presence_intervals', column_name: 'started_at', data_type: 'bigint' },
      { table_name: 'volunteer_profiles', column_name: 'updated_at', data_type: 'bigint' },
    ]);
  });

  it('is idempotent on reopen and keeps the data (a new store on the same database)', async () => {
    const first = await openStore({ url });
    const account = await first.accounts.create(MINJI);
    await first.close();

    for (let i = 0; i < 3; i++) {
      const again = await openStore({ url });
      expect(await again.accounts.findById(account.id)).toEqual(account);
      await again.close();
    }
    expect(await pgQuery(url, 'select name from kysely_migration')).toHaveLength(6);
  });

  it('lets several nodes migrate the same fresh database at once: one migrates, the others wait', async () => {
    // With Kysely's advisory lock disabled, most of these opens fail creating the same tables (tried).
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ url })));
    try {
      expect(await pgQuery(url, 'select name from kysely_migration')).toHaveLength(6);
      const account = await stores[0]!.accounts.create(MINJI);
      for (const store of stores) expect(await store.accounts.findById(account.id)).toEqual(account);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('refuses, within seconds, a server that is not there, naming host:port and not the password', async () => {
    const port = await closedPort();
    const started = performance.now();
    const error = await openStore({ url: `postgres://relay:hunter2@127.0.0.1:${port}/relay` }).catch(
      (e: unknown) => e,
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toMatch(
      new RegExp(`^cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('close is idempotent', async () => {
    const store = await openStore({ url });
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe.each(STORE_ENGINES)('the schema on %s', (engine) => {
  const db = useTempStore(engine);
  const insertAccount = (columns: Record<string, string | number>) => {
    const row = {
      id: 'a1',
      username: 'minji',
      display_name: 'Kim Min-ji',
      role: 'agent',
      languages: '["kvk"]',
      password_hash: 'x',
      created_at: 1,
      ...columns,
    };
    const values = Object.values(row).map((v) => (typeof v === 'number' ? String(v) : `'${v}'`));
    return db.exec(`insert into accounts (${Object.keys(row).join(', ')}) values (${values.join(', ')})`);
  };

  it('refuses rows the repositories never write, on both engines alike', async () => {
    await expect(insertAccount({ username: 'MinJi' })).rejects.toThrow(/constraint|json/i);
    await expect(insertAccount({ role: 'admin' })).rejects.toThrow(/constraint|json/i);
    await expect(insertAccount({ languages: 'not json' })).rejects.toThrow(/constraint|json/i);
    await expect(insertAccount({ approved: 2 })).rejects.toThrow(/constraint|json/i);
    await expect(
      db.exec(`insert into volunteer_profiles (account_id, languages, updated_at)
                          values ('nobody', '[]', 1)`),
    ).rejects.toThrow(/constraint|json/i);
    expect(await db.raw('select id from accounts')).toEqual([]);

    await insertAccount({});
    await expect(
      db.exec(`insert into volunteer_profiles (account_id, languages, updated_at)
                          values ('a1', '{}', 1)`),
    ).rejects.toThrow(/constraint|json/i);
    await db.exec(
      `insert into volunteer_profiles (account_id, languages, updated_at) values ('a1', '[]', 1)`,
    );
    expect(await db.raw('select weekly_hours, time_zone from volunteer_profiles')).toEqual([
      { weekly_hours: '[]', time_zone: 'Asia/Seoul' },
    ]);
  });
});
