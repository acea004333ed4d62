import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../common/protocol';
import { createApp, type App, type AppDeps } from '../../server/src/app';
import { SESSION_COOKIE } from '../../server/src/auth/AuthSessions';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';

export interface TestApp extends App {
  dir: string;
  /** Signs in and returns the session cookie. */
  login(username: string, password: string): Promise<string>;
  addAgent(username: string, languages?: string[]): Promise<{ cookie: string; id: string }>;
  /** An approved volunteer available all week (hours in Asia/Seoul), signed in. */
  addVolunteer(username: string, languages?: string[]): Promise<{ cookie: string; id: string }>;
  /** The same accounts without signing in (each sign-in costs a password hash): the account's id. */
  createStaff(role: StaffRole, username: string, languages: string[]): Promise<string>;
  /** A sign-in cookie for an account, straight from the app's sign-in book (no password check). */
  cookieFor(accountId: string, role: StaffRole): Promise<string>;
  stop(): Promise<void>;
}

export type StaffRole = 'agent' | 'volunteer';

export const TEST_PASSWORD = 'correct horse battery staple';

/** A whole app on random ports with a real worker and a real SQLite file in a temp dir. */
export async function startTestApp(env: Record<string, string> = {}, deps: AppDeps = {}): Promise<TestApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-test-'));
  const config = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      RTC_LISTEN_IP: '127.0.0.1',
      ANNOUNCED_ADDRESS: '127.0.0.1',
      RTC_PORT: '0',
      MEDIA_WORKERS: '1',
      DATABASE_PATH: path.join(dir, 'relay.sqlite'),
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
      // Every test caller comes from 127.0.0.1; the limit itself has a test of its own.
      CALL_REQUESTS_PER_MINUTE: '10000',
      ...env,
    },
    path.resolve('dist/client'),
  );
  const app = await createApp(config, { log: createLogger(config.logLevel), ...deps });
  const login = async (username: string, password: string) => {
    const res = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!res.ok) throw new Error(`login failed: ${res.status}`);
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error('no cookie');
    return cookie;
  };
  const createStaff = async (role: StaffRole, username: string, languages: string[]) => {
    if (role === 'agent') {
      const account = await app.store.accounts.create({
        username,
        displayName: `Agent ${username}`,
        role: 'agent',
        languages,
        password: TEST_PASSWORD,
      });
      return account.id;
    }
    const account = await app.store.volunteers.register({
      username,
      displayName: `Volunteer ${username}`,
      password: TEST_PASSWORD,
      languages: languages.map((tag) => ({
        tag,
        level: tag === 'ko' ? ('fluent' as const) : ('native' as const),
      })),
    });
    await app.store.accounts.setApproved(account.id, true);
    await app.store.volunteers.saveProfile(account.id, {
      weeklyHours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })),
    });
    return account.id;
  };
  return {
    ...app,
    dir,
    login,
    async addAgent(username, languages = ['kvk', 'ko']) {
      const id = await createStaff('agent', username, languages);
      return { cookie: await login(username, TEST_PASSWORD), id };
    },
    async addVolunteer(username, languages = ['vi', 'ko']) {
      const id = await createStaff('volunteer', username, languages);
      return { cookie: await login(username, TEST_PASSWORD), id };
    },
    createStaff,
    async cookieFor(accountId, role) {
      return `${SESSION_COOKIE}=${await app.auth.create({ accountId, role })}`;
    },
    async stop() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestSocket = Socket & {
  request<T>(event: string, payload?: unknown): Promise<Ack<T>>;
  next<T>(event: string, timeoutMs?: number): Promise<T>;
};

/** A socket.io client on one namespace, with ack-returning requests and a one-shot event wait. */
export async function connect(
  app: App,
  namespace: '/caller' | '/agent' | '/volunteer',
  cookie?: string,
  headers: Record<string, string> = {},
): Promise<TestSocket> {
  const socket = io(`${app.url}${namespace}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { ...headers, ...(cookie && { cookie }) },
  }) as TestSocket;
  socket.request = (event, payload) =>
    new Promise((resolve) => {
      if (payload === undefined) socket.emit(event, resolve);
      else socket.emit(event, payload, resolve);
    });
  socket.next = (event, timeoutMs = 5000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      socket.once(event, (data: Parameters<typeof resolve>[0]) => {
        clearTimeout(timer);
        resolve(data);
      });
    });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** The value of a successful ack, or a thrown error naming the failure. */
export function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** RTP parameters as a browser would send for a VP8 camera or an Opus microphone. */
export function fakeRtpParameters(kind: 'audio' | 'video', ssrc: number) {
  return kind === 'video'
    ? {
        mid: '0',
        codecs: [
          { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }] },
        ],
        headerExtensions: [],
        encodings: [{ ssrc }],
        rtcp: { cname: 'test', reducedSize: true },
      }
    : {
        mid: '1',
        codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
        headerExtensions: [],
        encodings: [{ ssrc }],
        rtcp: { cname: 'test', reducedSize: true },
      };
}
