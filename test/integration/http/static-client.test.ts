// The built client as createHttpApp serves it, on a real SQLite store: text compressed, hashed
// assets cached for a year, pages revalidated, helmet's headers (CSP) still on every answer.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthSessions } from '../../../server/src/auth/AuthSessions';
import { createHttpApp } from '../../../server/src/http/createHttpApp';
import { createLogger } from '../../../server/src/logger';
import { openStore, type Store } from '../../../server/src/store';

let server: http.Server;
let url: string;
let store: Store;
let dir: string;
const script = `export const greeting = ${JSON.stringify('안녕하세요 '.repeat(2000))};\n`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-static-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'caller-AbC123xy.js'), script);
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><title>120</title>${'<p>x</p>'.repeat(300)}`,
  );
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  store = await openStore({ path: path.join(dir, 'relay.sqlite') });
  const app = createHttpApp({
    store,
    auth: new AuthSessions(Date.now),
    log: createLogger('silent'),
    clientDir: dir,
    trustProxy: false,
    secureCookies: false,
    phase: () => 'ready',
    overview: () => ({}) as never,
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** node:http, not fetch: fetch decompresses on its own and hides what was on the wire. */
function get(pathname: string, acceptEncoding = 'gzip') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      http
        .get(`${url}${pathname}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (p: Buffer) => parts.push(p));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
          );
        })
        .on('error', reject);
    },
  );
}

describe('the built client', () => {
  it('sends a hashed script gzipped, cached for a year as immutable', async () => {
    const res = await get('/assets/caller-AbC123xy.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body.length).toBeLessThan(Buffer.byteLength(script) / 4);
    expect(gunzipSync(res.body).toString()).toBe(script);
  });

  it('sends pages compressed and revalidated on every load, with the CSP', async () => {
    for (const pathname of ['/', '/index.html']) {
      const res = await get(pathname);
      expect(res.status, pathname).toBe(200);
      expect(res.headers['content-encoding'], pathname).toBe('gzip');
      expect(res.headers['cache-control'], pathname).toBe('no-cache');
      expect(res.headers['content-security-policy'], pathname).toContain("script-src 'self'");
    }
  });

  it('serves the favicon, revalidated like a page', async () => {
    const res = await get('/favicon.svg', 'identity');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('sends a client that asks for no compression the plain bytes', async () => {
    const res = await get('/assets/caller-AbC123xy.js', 'identity');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe(script);
  });

  it('never marks an API answer immutable', async () => {
    const res = await get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['cache-control'] ?? '').not.toContain('immutable');
  });
});
