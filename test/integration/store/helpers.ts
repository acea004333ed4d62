import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../../server/src/store';

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

export const GOOD_PASSWORD = 'correct horse battery staple';

/**
 * A fresh SQLite file and store for each test of the enclosing describe, closed and removed after
 * it. Read `store` and `file` inside tests (they change per test).
 */
export function useTempStore(clock?: () => number): {
  readonly store: Store;
  readonly file: string;
  /** Closes the store and opens the same file again (what survives a restart). */
  reopen(): Promise<Store>;
} {
  let store: Store | undefined;
  let file = '';
  let cleanup = () => {};
  beforeEach(async () => {
    const tmp = makeTempDir();
    cleanup = tmp.cleanup;
    file = path.join(tmp.dir, 'relay.sqlite');
    store = await openTempStore(file, clock);
  });
  afterEach(async () => {
    await store?.close();
    cleanup();
  });
  return {
    get store() {
      if (!store) throw new Error('useTempStore: only inside a test');
      return store;
    },
    get file() {
      return file;
    },
    async reopen() {
      await store?.close();
      store = await openTempStore(file, clock);
      return store;
    },
  };
}
