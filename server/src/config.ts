import os from 'node:os';
import { z } from 'zod';
import { isPostgresUrl, type StoreLocation } from './store/location';

/** A PostgreSQL URL. The message never repeats the value: it may hold a password. */
export const PostgresUrl = z.string().refine(isPostgresUrl, {
  message: 'must be a postgres:// or postgresql:// URL, e.g. postgres://relay:secret@db.internal:5432/relay',
});

/** Blank counts as unset, so `DATABASE_URL=` in an env file keeps the SQLite default. */
export const DatabaseUrl = z.preprocess(
  (value) => (value === '' ? undefined : value),
  PostgresUrl.optional(),
);

/** `https://host[:port]` (or http), written as the browser's Origin header writes it: no path. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.toLowerCase();
  } catch {
    return false;
  }
}

/** Every setting comes from the environment, is validated once at start, and is listed in the README. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  RTC_LISTEN_IP: z.union([z.ipv4(), z.ipv6()]).default('0.0.0.0'),
  ANNOUNCED_ADDRESS: z.string().min(1).default('127.0.0.1'),
  RTC_PORT: z.coerce.number().int().min(0).max(65535).default(40000),
  MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
  DATABASE_PATH: z.string().min(1).default('data/relay.sqlite'),
  DATABASE_URL: DatabaseUrl,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OFFER_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(20_000),
  INVITATION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  VOLUNTEER_RING_BATCH: z.coerce.number().int().min(1).max(50).default(3),
  CALL_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  FALLBACK_AFTER_MS: z.coerce.number().int().min(0).max(3_600_000).default(180_000),
  MAX_MISSED_OFFERS: z.coerce.number().int().min(1).max(100).default(3),
  DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  ALLOWED_ORIGINS: z.preprocess(
    (value) => (value === undefined ? '' : value),
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter((o) => o !== ''),
      )
      .pipe(
        z.array(
          z.string().refine(isOrigin, {
            message: 'each must be an origin: scheme, host and port only, e.g. https://relay.example.org',
          }),
        ),
      )
      .transform((origins) => origins.map((o) => new URL(o).origin)),
  ),
  MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(50),
  REDIS_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .refine((v) => /^rediss?:\/\/[^\s]+$/.test(v), {
        message: 'must be a redis:// or rediss:// URL, e.g. redis://redis.internal:6379',
      })
      .optional(),
  ),
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'letters, digits, dot, dash or underscore (at most 63)')
    .optional(),
});

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  rtc: { listenIp: string; announcedAddress: string; port: number; workers: number };
  /** PostgreSQL when DATABASE_URL is set (it wins over DATABASE_PATH), else the SQLite file. */
  database: StoreLocation;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  lobby: {
    offerTimeoutMs: number;
    maxMissedOffers: number;
    invitationTimeoutMs: number;
    volunteerRingBatch: number;
    fallbackAfterMs: number;
  };
  trustProxy: boolean;
  /**
   * Origins whose pages may open sockets and send state-changing requests: PUBLIC_URL's and
   * ALLOWED_ORIGINS. Empty (neither set): the request's own Host only.
   */
  allowedOrigins: string[];
  /** Concurrent socket.io connections one client address may hold (all namespaces together). */
  maxSocketsPerAddress: number;
  /** Anonymous call requests allowed per caller address and minute. */
  callRequestsPerMinute: number;
  /** On SIGTERM, how long live calls may go on before they are ended (each participant told why). */
  drainTimeoutMs: number;
  /** Where the built client lives (vite build output). */
  clientDir: string;
  /**
   * Set by REDIS_URL: this process is one node of a cluster (Redis for the bus, the lease and the
   * lobby's log; PostgreSQL for the store). Absent: the embedded default, one process.
   */
  cluster: { redisUrl: string; nodeId: string } | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, clientDir = 'dist/client'): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // A cluster shares one store: each node's own SQLite file would split the centre's records.
  if (e.REDIS_URL !== undefined && e.DATABASE_URL === undefined) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_URL: required with REDIS_URL (the nodes of a cluster share one PostgreSQL)',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    rtc: {
      listenIp: e.RTC_LISTEN_IP,
      announcedAddress: e.ANNOUNCED_ADDRESS,
      port: e.RTC_PORT,
      workers: e.MEDIA_WORKERS,
    },
    database: e.DATABASE_URL === undefined ? { path: e.DATABASE_PATH } : { url: e.DATABASE_URL },
    logLevel: e.LOG_LEVEL,
    lobby: {
      offerTimeoutMs: e.OFFER_TIMEOUT_MS,
      maxMissedOffers: e.MAX_MISSED_OFFERS,
      invitationTimeoutMs: e.INVITATION_TIMEOUT_MS,
      volunteerRingBatch: e.VOLUNTEER_RING_BATCH,
      fallbackAfterMs: e.FALLBACK_AFTER_MS,
    },
    trustProxy: e.TRUST_PROXY,
    allowedOrigins: [
      ...new Set([
        ...(e.PUBLIC_URL === undefined ? [] : [new URL(e.PUBLIC_URL).origin]),
        ...e.ALLOWED_ORIGINS,
      ]),
    ],
    maxSocketsPerAddress: e.MAX_SOCKETS_PER_ADDRESS,
    callRequestsPerMinute: e.CALL_REQUESTS_PER_MINUTE,
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    clientDir,
    cluster:
      e.REDIS_URL === undefined
        ? null
        : { redisUrl: e.REDIS_URL, nodeId: e.NODE_ID ?? `${os.hostname()}-${e.PORT}` },
  };
}
