import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, inject } from 'vitest';
import { openStore, type Store, type StoreLocation } from '../../../server/src/store';
import type { StoreEngine } from '../../../server/src/store/location';
import { POSTGRES_TYPES } from '../../../server/src/store/postgres';
import { createDatabase, dropDatabase } from '../../helpers/postgres';

export type { StoreEngine };
/** Every store test that is not about SQLite files runs once per engine: `describe.each(STORE_ENGINES)`. */
export const STORE_ENGINES: readonly StoreEngine[] = ['sqlite', 'postgres'];

export const GOOD_PASSWORD = 'correct horse battery staple';

/** A fresh directory under the OS temp dir; remove it with `cleanup`. */
export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-store-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A clock tests can move by hand. */
export function manualClock(start = Date.UTC(2025, 0, 6, 9, 0, 0)): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

export async function openTempStore(file: string, clock?: () => number): Promise<Store> {
  return openStore(clock ? { path: file, clock } : { path: file });
}

/** Reads the file directly, bypassing the store, to check what really got written. */
export function rawQuery<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** A new, empty database on the run's PostgreSQL server (see test/globalSetup/postgres.ts). */
export function freshPostgresDatabase(): Promise<string> {
  return createDatabase(inject('postgresUrl'));
}

export function dropPostgresDatabase(url: string): Promise<void> {
  return dropDatabase(inject('postgresUrl'), url);
}

/** `?` placeholders, as SQLite writes them, to PostgreSQL's `$1, $2, …`. */
function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${String(++n)}`);
}

/** Direct access to a database behind the store's back: reads and test-only DDL. */
interface RawAccess {
  query<T>(sql: string, params: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

function sqliteRaw(file: string): RawAccess {
  return {
    query: async <T>(sql: string, params: unknown[]) => rawQuery<T>(file, sql, ...params),
    exec: async (sql) => {
      const db = new BetterSqlite3(file);
      try {
        db.pragma('foreign_keys = ON');
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    close: async () => {},
  };
}

/** One pg client per test, opened on first use; bigints read as numbers, as the store reads them. */
function postgresRaw(url: string): RawAccess {
  let client: Promise<pg.Client> | undefined;
  const connect = () =>
    (client ??= (async () => {
      const c = new pg.Client({ connectionString: url, types: POSTGRES_TYPES });
      await c.connect();
      return c;
    })());
  return {
    query: async <T>(sql: string, params: unknown[]) =>
      (await (await connect()).query(numberPlaceholders(sql), params)).rows as T[],
    exec: async (sql) => {
      await (await connect()).query(sql);
    },
    close: async () => {
      if (client) await (await client).end();
      client = undefined;
    },
  };
}

export interface TempStore {
  readonly engine: StoreEngine;
  readonly store: Store;
  /** What to pass to `openStore` to reach the same database. */
  readonly location: StoreLocation;
  /** The SQLite file ('' on PostgreSQL). */
  readonly file: string;
  /** Closes the store and opens the same database again (what survives a restart). */
  reopen(): Promise<Store>;
  /** Reads the database directly, bypassing the store. `?` placeholders on both engines. */
  raw<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Runs test-only SQL (DDL) behind the store's back. */
  exec(sql: string): Promise<void>;
}

/**
 * A fresh database and store for each test of the enclosing describe, closed and removed after it:
 * a SQLite file in a temp dir, or a new database on the run's PostgreSQL server. Read `store`, `file`
 * and `location` inside tests (they change per test).
 */
export function useTempStore(engine: StoreEngine, clock?: () => number): TempStore {
  let store: Store | undefined;
  let location: StoreLocation | undefined;
  let raw: RawAccess | undefined;
  let cleanup: () => Promise<void> = async () => {};
  const open = (at: StoreLocation) => openStore(clock ? { ...at, clock } : at);

  beforeEach(async () => {
    if (engine === 'sqlite') {
      const tmp = makeTempDir();
      const file = path.join(tmp.dir, 'relay.sqlite');
      location = { path: file };
      raw = sqliteRaw(file);
      cleanup = async () => tmp.cleanup();
    } else {
      const url = await freshPostgresDatabase();
      location = { url };
      raw = postgresRaw(url);
      cleanup = () => dropPostgresDatabase(url);
    }
    store = await open(location);
  });
  afterEach(async () => {
    await store?.close();
    await raw?.close();
    await cleanup();
    store = undefined;
  });

  const inTest = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useTempStore: only inside a test');
    return value;
  };
  return {
    engine,
    get store() {
      return inTest(store);
    },
    get location() {
      return inTest(location);
    },
    get file() {
      return location?.path ?? '';
    },
    async reopen() {
      await store?.close();
      store = await open(inTest(location));
      return store;
    },
    raw: (sql, ...params) => inTest(raw).query(sql, params),
    exec: (sql) => inTest(raw).exec(sql),
  };
}
