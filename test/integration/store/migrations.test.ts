import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../server/src/store';
import { GOOD_PASSWORD, makeTempDir, rawQuery } from './helpers';

describe('openStore and migrations', () => {
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
      expect.arrayContaining(['accounts', 'call_records', 'kysely_migration', 'kysely_migration_lock']),
    );
    const applied = rawQuery<{ name: string }>(file, 'select name from kysely_migration');
    expect(applied.map((m) => m.name)).toEqual(['001_initial', '002_volunteer_profiles']);
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
    const account = await first.accounts.create({
      username: 'minji',
      displayName: 'Kim Min-ji',
      role: 'agent',
      languages: ['kvk'],
      password: GOOD_PASSWORD,
    });
    await first.close();

    for (let i = 0; i < 3; i++) {
      const again = await openStore({ path: file });
      expect(await again.accounts.findById(account.id)).toEqual(account);
      await again.close();
    }
    expect(rawQuery(file, 'select name from kysely_migration')).toHaveLength(2);
  });

  it('survives two processes-worth of connections migrating a fresh file at once', async () => {
    const file = path.join(dir, 'relay.sqlite');
    const stores = await Promise.all([
      openStore({ path: file }),
      openStore({ path: file }),
      openStore({ path: file }),
    ]);
    await Promise.all(stores.map((s) => s.close()));
    expect(rawQuery(file, 'select name from kysely_migration')).toHaveLength(2);
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
