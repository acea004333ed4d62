import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayError } from '../../../common/errors';
import { SESSION_COOKIE } from '../../../server/src/auth/AuthSessions';
import { errorMiddleware, unknownApi } from '../../../server/src/http/errors';
import type { Logger } from '../../../server/src/logger';
import { ValidationError } from '../../../server/src/store';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../../helpers/testApp';

describe('the error middleware on its own', () => {
  let server: http.Server;
  let url: string;
  const logged: Array<{ obj: unknown; msg: string }> = [];
  const log = { error: (obj: unknown, msg: string) => logged.push({ obj, msg }) } as unknown as Logger;

  beforeAll(async () => {
    const app = express();
    app.use(express.json({ limit: '1kb' }));
    app.post('/echo', (req, res) => {
      res.json(req.body);
    });
    app.get('/store-refusal', () => {
      throw new ValidationError([
        { field: 'languages', message: 'add ko' },
        { field: 'weeklyHours.0.end', message: 'must be after the start' },
      ]);
    });
    app.get('/rejected', async () => {
      await Promise.resolve();
      throw new RelayError('invalid-state', 'Not now.');
    });
    app.get('/passed-on', (_req, _res, next) => next(new RelayError('expired', 'Too late.')));
    app.get('/bug', () => {
      throw new TypeError('cannot read properties of undefined (secret detail)');
    });
    app.get('/deliberate-internal', () => {
      throw new RelayError('internal', 'the database is on fire');
    });
    app.use(unknownApi);
    app.use(errorMiddleware(log));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  const answer = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${url}${path}`, init);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const post = (body: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

  it('answers a store ValidationError 400 invalid-payload with its issues, thrown or rejected', async () => {
    expect(await answer('/store-refusal')).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid-payload',
          message: 'languages: add ko; weeklyHours.0.end: must be after the start',
          issues: [
            { field: 'languages', message: 'add ko' },
            { field: 'weeklyHours.0.end', message: 'must be after the start' },
          ],
        },
      },
    });
    expect(await answer('/rejected')).toEqual({
      status: 409,
      body: { error: { code: 'invalid-state', message: 'Not now.' } },
    });
    expect(await answer('/passed-on')).toEqual({
      status: 410,
      body: { error: { code: 'expired', message: 'Too late.' } },
    });
  });

  it('answers malformed JSON 400 and a too large body 413, both invalid-payload', async () => {
    expect(await answer('/echo', post('{"a": '))).toEqual({
      status: 400,
      body: { error: { code: 'invalid-payload', message: 'The request body is not valid JSON.' } },
    });
    expect(await answer('/echo', post(JSON.stringify({ a: 'x'.repeat(2000) })))).toEqual({
      status: 413,
      body: { error: { code: 'invalid-payload', message: 'The request body is too large.' } },
    });
    expect(logged).toEqual([]);
  });

  it('answers any other error internal 500 without its details, and logs it', async () => {
    for (const path of ['/bug', '/deliberate-internal']) {
      expect(await answer(path)).toEqual({
        status: 500,
        body: { error: { code: 'internal', message: 'Something went wrong on our side.' } },
      });
    }
    expect(logged.map((l) => l.msg)).toEqual(['http request failed', 'http request failed']);
    expect(logged[0]?.obj).toMatchObject({ err: expect.any(TypeError), path: '/bug' });
  });

  it('answers an unknown path 404 not-found', async () => {
    expect(await answer('/nowhere')).toEqual({
      status: 404,
      body: { error: { code: 'not-found', message: 'No such API.' } },
    });
  });
});

describe('errors of the whole app', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers an unknown API path 404 not-found in JSON, whatever the method', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing-here'],
      ['POST', '/api/auth/nothing'],
      ['DELETE', '/api/volunteers'],
    ] as const) {
      const res = await fetch(`${app.url}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(await res.json()).toEqual({ error: { code: 'not-found', message: 'No such API.' } });
    }
  });

  it('answers malformed JSON 400 invalid-payload before any route sees it', async () => {
    for (const path of ['/api/auth/login', '/api/volunteers', '/api/supervisor/volunteers/x/approval']) {
      const res = await fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username": ',
      });
      expect(res.status, path).toBe(400);
      expect(await res.json()).toEqual({
        error: { code: 'invalid-payload', message: 'The request body is not valid JSON.' },
      });
    }
  });

  it("passes the store's ValidationError to the client: 400 invalid-payload with its issues", async () => {
    // Made with the accounts CLI: no profile, so a save without languages is refused by the store itself.
    const account = await app.store.accounts.create({
      username: 'no-profile',
      displayName: 'No Profile',
      role: 'volunteer',
      languages: ['en', 'ko'],
      password: TEST_PASSWORD,
    });
    const cookie = `${SESSION_COOKIE}=${await app.auth.create({ accountId: account.id, role: 'volunteer' })}`;
    const res = await fetch(`${app.url}/api/volunteer/profile`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ timeZone: 'UTC' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'invalid-payload',
        message: 'languages: at least one language is required',
        issues: [{ field: 'languages', message: 'at least one language is required' }],
      },
    });
  });
});
