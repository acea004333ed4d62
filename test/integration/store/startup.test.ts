import fs from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../helpers/postgres';
import { freePort as closedPort } from '../../helpers/waiting';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = path.join(ROOT, 'server/src/main.ts');

/** Starts the server as an operator would and waits for it to exit. */
function runServer(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a node starting against PostgreSQL', () => {
  it('says it cannot reach PostgreSQL (host:port, no password) and exits non-zero', async () => {
    const port = await closedPort();
    const result = await runServer({ DATABASE_URL: `postgres://relay:hunter2@127.0.0.1:${port}/relay` });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: cannot connect to PostgreSQL at 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
    expect(result.stdout).toBe('');
  });

  it('refuses a DATABASE_URL that is not PostgreSQL before opening anything (exit 2)', async () => {
    const result = await runServer({ DATABASE_URL: 'mysql://root:hunter2@db/relay' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(result.stderr).not.toContain('hunter2');
  });
});

describe('a cluster node starting without Redis', () => {
  it('says it cannot reach Redis (host:port, no password) and exits non-zero', async () => {
    const port = await closedPort();
    const databaseUrl = await createDatabase(inject('postgresUrl'));
    try {
      const result = await runServer({
        DATABASE_URL: databaseUrl,
        REDIS_URL: `redis://:hunter2@127.0.0.1:${port}`,
        NODE_ID: 'lonely',
        RTC_PORT: '0',
        MEDIA_WORKERS: '1',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(`^error: cannot connect to Redis at 127\\.0\\.0\\.1:${port}: `),
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toContain('hunter2');
    } finally {
      await dropDatabase(inject('postgresUrl'), databaseUrl);
    }
  });
});

describe('a node starting on a SQLite file it cannot use', () => {
  it('names the file and why in one line (a folder that is a file), and exits non-zero', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-db-'));
    try {
      // A file where the database's folder should be: as root a read-only folder would not stop
      // this process, but a file in the way stops anyone. (The container test mounts a real
      // read-only volume.)
      fs.writeFileSync(path.join(dir, 'data'), 'not a folder');
      const file = path.join(dir, 'data', 'relay.sqlite');
      const result = await runServer({ DATABASE_PATH: file, RTC_PORT: '0', MEDIA_WORKERS: '1' });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `error: cannot use the database file ${file}: ${path.join(dir, 'data')} is not a folder\n`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
