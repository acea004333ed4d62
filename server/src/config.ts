import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_SHIFTS, formatShift, parseShiftSpec } from './lobby';
import type { ShiftDefinition } from './lobby/types';
import { Thresholds } from './figures/thresholds';
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

/**
 * One TURN server URL as RFC 7065 writes it: `turn:` or `turns:`, a host name, IPv4 or [IPv6]
 * address, an optional port, and optionally `?transport=udp|tcp` (no credentials: those are made
 * per participant from TURN_SECRET).
 */
const TURN_URL =
  /^turns?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?(?:\?transport=(?:udp|tcp))?$/;
export const TurnUrl = z.string().refine(
  (url) => {
    const port = TURN_URL.exec(url)?.[2];
    // turns: over UDP would be DTLS, which browsers do not speak to TURN servers.
    if (url.startsWith('turns:') && url.endsWith('?transport=udp')) return false;
    return TURN_URL.test(url) && (port === undefined || (Number(port) >= 1 && Number(port) <= 65535));
  },
  {
    error: (issue) =>
      `"${String(issue.input)}" is not a turn: or turns: URL (turns: over TCP only), e.g. turns:turn.example.org:443?transport=tcp`,
  },
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
/** SHIFTS: the shift calendar (parseShiftSpec's format); unset or empty, the 120 centre's three shifts. */
export function ShiftsSetting() {
  return z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .optional()
      .transform((text, ctx): ShiftDefinition[] => {
        if (text === undefined) return DEFAULT_SHIFTS.map((s) => ({ ...s }));
        const parsed = parseShiftSpec(text);
        if (parsed.ok) return parsed.shifts;
        ctx.addIssue({
          code: 'custom',
          message: `${parsed.message}; e.g. ${DEFAULT_SHIFTS.map(formatShift).join(';')}`,
        });
        return z.NEVER;
      }),
  );
}

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  RTC_LISTEN_IP: z.union([z.ipv4(), z.ipv6()]).default('0.0.0.0'),
  ANNOUNCED_ADDRESS: z.string().min(1).default('127.0.0.1'),
  RTC_PORT: z.coerce.number().int().min(0).max(65535).default(40000),
  TURN_URLS: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .transform((v) => v.split(',').map((url) => url.trim()))
      .pipe(z.array(TurnUrl).min(1))
      .optional(),
  ),
  // The messages never repeat the value: it is a secret.
  TURN_SECRET: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string({ message: 'must be a string' })
      .min(16, { message: 'must be at least 16 characters (e.g. the output of openssl rand -hex 32)' })
      .max(512, { message: 'must be at most 512 characters' })
      .optional(),
  ),
  TURN_CREDENTIAL_TTL_S: z.coerce.number().int().min(60).max(86_400).default(3600),
  ICE_TRANSPORT_POLICY: z.enum(['all', 'relay']).default('all'),
  MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
  // Per browser transport; past 1.5× of it for 3 s the transport is closed (media/IngressPolicer.ts).
  MEDIA_MAX_INCOMING_KBPS: z.coerce.number().int().min(300).max(100_000).default(5000),
  DATABASE_PATH: z.string().min(1).default('data/relay.sqlite'),
  DATABASE_URL: DatabaseUrl,
  // Where call-record writes wait while PostgreSQL is unreachable; blank: next to DATABASE_PATH.
  RECORD_JOURNAL_DIR: z.preprocess((value) => (value === '' ? undefined : value), z.string().optional()),
  // 64 MiB: some 300,000 writes (about 50,000 calls), days of a centre's traffic, and still small
  // beside the disk the logs and the OS share.
  RECORD_JOURNAL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(64 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // /metrics: a bearer token, a port of its own, or both. Neither: no /metrics at all.
  METRICS_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^[A-Za-z0-9._~+/=-]{16,256}$/, {
        message: '16 to 256 characters of letters, digits and ._~+/=- (e.g. from `openssl rand -hex 32`)',
      })
      .optional(),
  ),
  METRICS_PORT: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number().int().min(0).max(65535).optional(),
  ),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  OFFER_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(12_000),
  INVITATION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  VOLUNTEER_RING_BATCH: z.coerce.number().int().min(1).max(50).default(3),
  CALL_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  FALLBACK_AFTER_MS: z.coerce.number().int().min(0).max(3_600_000).default(180_000),
  MAX_MISSED_OFFERS: z.coerce.number().int().min(1).max(100).default(3),
  SHIFTS: ShiftsSetting(),
  SL_THRESHOLDS: z.preprocess((value) => (value === '' ? undefined : value), Thresholds.default([20, 120])),
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
  rtc: {
    listenIp: string;
    announcedAddress: string;
    port: number;
    workers: number;
    /** Bits per second one browser transport may send us. */
    maxIncomingBitrate: number;
  };
  /**
   * TURN servers handed to every browser with short-lived credentials (coturn's use-auth-secret),
   * and whether browsers may only use them (`relay`). Null: no TURN, browsers reach media directly.
   */
  turn: TurnConfig | null;
  /** PostgreSQL when DATABASE_URL is set (it wins over DATABASE_PATH), else the SQLite file. */
  database: StoreLocation;
  /**
   * The local journal of call-record writes made while PostgreSQL was unreachable (PostgreSQL only).
   * A cluster node's file carries its NODE_ID: nodes started from one folder must not share one.
   */
  recordJournal: { file: string; maxBytes: number };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /**
   * Prometheus metrics on `/metrics`: behind a bearer token (`token`), on a port of their own bound
   * to `host` (`port`), or both. null: neither was set, so there is no /metrics (it is never public).
   */
  metrics: { token: string | null; port: number | null; host: string } | null;
  lobby: {
    offerTimeoutMs: number;
    maxMissedOffers: number;
    invitationTimeoutMs: number;
    volunteerRingBatch: number;
    fallbackAfterMs: number;
    /** The shift calendar (local time in the lobby's time zone): agents' shifts name these. */
    shifts: ShiftDefinition[];
  };
  /** Service level is reported within each of these waits, in seconds (SL_THRESHOLDS). */
  serviceLevelThresholds: number[];
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

export interface TurnConfig {
  urls: string[];
  /** coturn's static-auth-secret. Never logged, never sent to a browser. */
  secret: string;
  credentialTtlS: number;
  iceTransportPolicy: 'all' | 'relay';
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
  const nodeId = e.NODE_ID ?? `${os.hostname()}-${String(e.PORT)}`;
  const turnIssue = checkTurn(e);
  if (turnIssue) throw new ConfigError(`Invalid configuration:\n  ${turnIssue}`);
  // On the main port the token is the only guard: the same port twice would hide that.
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    throw new ConfigError(
      'Invalid configuration:\n  METRICS_PORT: must differ from PORT (leave it unset to serve /metrics on PORT with METRICS_TOKEN)',
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
      maxIncomingBitrate: e.MEDIA_MAX_INCOMING_KBPS * 1000,
    },
    turn:
      e.TURN_URLS === undefined || e.TURN_SECRET === undefined
        ? null
        : {
            urls: e.TURN_URLS,
            secret: e.TURN_SECRET,
            credentialTtlS: e.TURN_CREDENTIAL_TTL_S,
            iceTransportPolicy: e.ICE_TRANSPORT_POLICY,
          },
    database: e.DATABASE_URL === undefined ? { path: e.DATABASE_PATH } : { url: e.DATABASE_URL },
    recordJournal: {
      file: path.join(
        e.RECORD_JOURNAL_DIR ?? path.dirname(e.DATABASE_PATH),
        e.REDIS_URL === undefined ? 'call-records.journal' : `call-records.${nodeId}.journal`,
      ),
      maxBytes: e.RECORD_JOURNAL_MAX_BYTES,
    },
    logLevel: e.LOG_LEVEL,
    metrics:
      e.METRICS_TOKEN === undefined && e.METRICS_PORT === undefined
        ? null
        : { token: e.METRICS_TOKEN ?? null, port: e.METRICS_PORT ?? null, host: e.METRICS_HOST },
    lobby: {
      offerTimeoutMs: e.OFFER_TIMEOUT_MS,
      maxMissedOffers: e.MAX_MISSED_OFFERS,
      invitationTimeoutMs: e.INVITATION_TIMEOUT_MS,
      volunteerRingBatch: e.VOLUNTEER_RING_BATCH,
      fallbackAfterMs: e.FALLBACK_AFTER_MS,
      shifts: e.SHIFTS,
    },
    serviceLevelThresholds: e.SL_THRESHOLDS,
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
    cluster: e.REDIS_URL === undefined ? null : { redisUrl: e.REDIS_URL, nodeId },
  };
}

/** The TURN settings that only make sense together; a message naming what is missing, if any. */
function checkTurn(e: z.infer<typeof EnvSchema>): string | null {
  if (e.TURN_URLS !== undefined && e.TURN_SECRET === undefined)
    return 'TURN_SECRET: required with TURN_URLS (the static-auth-secret of the TURN server)';
  if (e.TURN_URLS === undefined && e.TURN_SECRET !== undefined)
    return 'TURN_URLS: required with TURN_SECRET (which TURN servers to hand out)';
  // Relay-only with no relay would leave every call without media.
  if (e.TURN_URLS === undefined && e.ICE_TRANSPORT_POLICY === 'relay')
    return 'ICE_TRANSPORT_POLICY: relay needs TURN_URLS and TURN_SECRET';
  return null;
}
