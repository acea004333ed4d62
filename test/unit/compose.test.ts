import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, type Config } from '../../server/src/config';

// compose.yaml read as `docker compose` reads it (YAML merge keys on), then its `${VAR}`s filled in
// as an operator would, and each node's environment given to the product's own loadConfig.

const COMPOSE_FILE = path.join(import.meta.dirname, '../../compose.yaml');
const RELAYS = ['relay-1', 'relay-2', 'relay-3'];

/** What an operator sets (compose.yaml's header); a variable missing here fails the test. */
const OPERATOR_ENV: Record<string, string> = {
  PUBLIC_IP: '203.0.113.10',
  PUBLIC_URL: 'https://relay.example.go.kr',
  TURN_IP: '203.0.113.11',
  TURN_HOST: 'turn.example.go.kr',
  TURN_SECRET: '5f1d0c8e2b7a4d6f9e3c1b0a8d7f6e5c4b3a29180f7e6d5c4b3a291807f6e5d4',
  POSTGRES_PASSWORD: '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071',
};

/**
 * The `ENV KEY=value …` of the Dockerfile's last stage (the image the nodes run): the container's
 * environment is this under the service's `environment`.
 */
function imageEnv(dockerfile: string): Record<string, string> {
  const instructions = dockerfile.replace(/\\\n/g, ' ').split('\n');
  const lastStage = instructions.slice(instructions.findLastIndex((line) => /^FROM\s/i.test(line)));
  const env: Record<string, string> = {};
  for (const line of lastStage.filter((l) => /^ENV\s/i.test(l))) {
    for (const m of line.slice(4).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
      env[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}
const IMAGE_ENV = imageEnv(fs.readFileSync(path.join(import.meta.dirname, '../../Dockerfile'), 'utf8'));

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, unknown>;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] };
  stop_grace_period?: string;
  restart?: string;
  network_mode?: string;
  networks?: string[];
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { internal?: boolean } | null>;
  version?: unknown;
}

const raw = parse(fs.readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;

/** `${VAR}`, `${VAR:?msg}`, `${VAR?msg}`, `${VAR:-default}`, `${VAR-default}`, `$VAR`, `$$` (Compose spec). */
const INTERPOLATION = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

interface Reference {
  name: string;
  operator: string | undefined;
  argument: string | undefined;
}

function references(value: string): Reference[] {
  return [...value.matchAll(INTERPOLATION)]
    .filter((m) => m[0] !== '$$')
    .map((m) => ({ name: m[1] ?? m[4] ?? '', operator: m[2], argument: m[3] }));
}

function interpolate(value: string): string {
  return value.replace(INTERPOLATION, (match: string, braced: string | undefined, ...rest: unknown[]) => {
    const bare = rest[2] as string | undefined;
    if (match === '$$') return '$';
    const name = braced ?? bare ?? '';
    const given = OPERATOR_ENV[name];
    if (given === undefined)
      throw new Error(`compose.yaml uses \${${name}}: add a plausible value to OPERATOR_ENV`);
    return given;
  });
}

/** Every string in the file, wherever it sits, with where it sits. */
function* strings(node: unknown, at: string): Generator<[string, string]> {
  if (typeof node === 'string') yield [at, node];
  else if (Array.isArray(node)) for (const [i, item] of node.entries()) yield* strings(item, `${at}[${i}]`);
  else if (node !== null && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) yield* strings(value, at === '' ? key : `${at}.${key}`);
}

function relayEnv(name: string): Record<string, string> {
  const environment = raw.services[name]?.environment ?? {};
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => {
      // A bare key would take the value from the host's environment: not reproducible.
      if (typeof value !== 'string') throw new Error(`${name}.environment.${key}: give a quoted string`);
      return [key, interpolate(value)];
    }),
  );
}

function containerEnv(name: string): Record<string, string> {
  return { ...IMAGE_ENV, ...relayEnv(name) };
}

/** loadConfig's answer, or its error, as text to compare. */
function outcome(env: Record<string, string>): string {
  try {
    return JSON.stringify(loadConfig(env));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/**
 * Whether the product reads `key`. zod drops keys it does not know, so a misspelt or retired
 * variable would be ignored without a word: a key the product reads changes loadConfig's answer
 * when it is removed or given a junk value (rejected, or carried into the config).
 */
function isRead(env: Record<string, string>, key: string): boolean {
  const base = outcome(env);
  const { [key]: _removed, ...without } = env;
  return outcome(without) !== base || outcome({ ...env, [key]: '\u0007junk' }) !== base;
}

interface PortMapping {
  hostIp: string | undefined;
  published: [number, number];
  target: [number, number];
  protocol: string;
}

/** Compose's short port syntax: `[ip:]published[-end]:target[-end][/protocol]`. */
function parsePort(spec: string): PortMapping {
  const m = /^(?:(\d+\.\d+\.\d+\.\d+):)?(\d+)(?:-(\d+))?:(\d+)(?:-(\d+))?(?:\/(udp|tcp))?$/.exec(spec);
  if (!m) throw new Error(`port "${spec}": not [ip:]published:target[/protocol]`);
  const range = (from: string, to: string | undefined): [number, number] => [
    Number(from),
    Number(to ?? from),
  ];
  return {
    hostIp: m[1],
    published: range(m[2]!, m[3]),
    target: range(m[4]!, m[5]),
    protocol: m[6] ?? 'tcp',
  };
}

function ports(name: string): PortMapping[] {
  return (raw.services[name]?.ports ?? []).map(parsePort);
}

/** Compose durations: `330s`, `5m30s`, `1h`. */
function seconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const parts = [...duration.matchAll(/(\d+)(ms|h|m|s)/g)];
  if (parts.map((p) => p[0]).join('') !== duration) throw new Error(`"${duration}" is not a duration`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}

/** `--flag=value` from a command list. */
function flag(command: string[] | undefined, name: string): string | undefined {
  const prefix = `--${name}=`;
  return command?.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

/** The named volume a service mounts at `dir`, if any. */
function volumeAt(service: Service | undefined, dir: string): string | undefined {
  return service?.volumes?.find((v) => v.split(':')[1] === dir)?.split(':')[0];
}

/** A store (Redis, PostgreSQL): its data on a named volume, a health check, unreachable from outside. */
function expectStore(name: string, dataDir: string, healthCommand: string): void {
  const service = raw.services[name];
  expect(raw.volumes, `${name}: ${dataDir} on a named volume`).toHaveProperty(
    volumeAt(service, dataDir) ?? '',
  );
  expect(service?.healthcheck?.test, name).toContain(healthCommand);
  expect(service?.ports, `${name}: nothing published`).toBeUndefined();
  expect(service?.networks?.length, name).toBeGreaterThan(0);
  expect(
    service?.networks?.every((n) => raw.networks?.[n]?.internal === true),
    `${name}: internal only`,
  ).toBe(true);
}

const configs = new Map<string, Config>(RELAYS.map((name) => [name, loadConfig(containerEnv(name))]));
function config(name: string): Config {
  const c = configs.get(name);
  if (!c) throw new Error(`no config for ${name}`);
  return c;
}

describe('compose.yaml', () => {
  it("reads the image's environment from the Dockerfile", () => {
    // The nodes' HTTP port (published below) and the journal's default folder come from here.
    expect(IMAGE_ENV).toMatchObject({
      PORT: expect.stringMatching(/^\d+$/),
      DATABASE_PATH: expect.any(String),
    });
  });

  it('is a Compose spec file with the three nodes, Redis, PostgreSQL and coturn', () => {
    expect(raw.version).toBeUndefined();
    expect(Object.keys(raw.services).sort()).toEqual(['coturn', 'postgres', 'redis', ...RELAYS].sort());
    for (const name of RELAYS) {
      expect(raw.services[name], name).toMatchObject({ image: 'relay-centre', build: '.' });
    }
  });

  it('sets on the nodes only variables the product reads', () => {
    for (const name of RELAYS) {
      const env = containerEnv(name);
      const unread = Object.keys(relayEnv(name)).filter((key) => !isRead(env, key));
      expect(unread, `${name}: variables the product does not read`).toEqual([]);
    }
    // The check itself: a misspelt variable is caught, a real one is not.
    const env = { ...containerEnv('relay-1'), TURN_SECRETS: 'x'.repeat(32) };
    expect(isRead(env, 'TURN_SECRETS')).toBe(false);
    expect(isRead(env, 'MEDIA_WORKERS')).toBe(true);
  });

  it('makes each node a member of one cluster with TURN, metrics and the proxy settings', () => {
    const nodeIds = RELAYS.map((name) => config(name).cluster?.nodeId);
    expect(nodeIds).toEqual(RELAYS);
    expect(new Set(RELAYS.map((name) => config(name).cluster?.redisUrl)).size).toBe(1);
    expect(new Set(RELAYS.map((name) => config(name).database.url)).size).toBe(1);
    for (const name of RELAYS) {
      const c = config(name);
      const redis = new URL(c.cluster?.redisUrl ?? '');
      expect(raw.services[redis.hostname], `${name}: REDIS_URL's host is the redis service`).toBeDefined();
      expect(redis.hostname).toBe('redis');
      const db = new URL(c.database.url ?? '');
      expect(db.hostname).toBe('postgres');
      expect(decodeURIComponent(db.password)).toBe(OPERATOR_ENV.POSTGRES_PASSWORD);
      expect(c.rtc.announcedAddress).toBe(OPERATOR_ENV.PUBLIC_IP);
      expect(c.turn).toMatchObject({ secret: OPERATOR_ENV.TURN_SECRET });
      expect(c.turn?.urls.map((u) => new URL(u.replace(/^turns?:/, 'x://')).hostname)).toEqual([
        OPERATOR_ENV.TURN_HOST,
        OPERATOR_ENV.TURN_HOST,
      ]);
      expect(c.publicUrl).toBe(OPERATOR_ENV.PUBLIC_URL);
      expect(c.trustProxy).toBe(true);
      // In a container 127.0.0.1 is the container itself: nobody could scrape it.
      expect(c.metrics).toMatchObject({ host: '0.0.0.0' });
      expect(c.metrics?.port).not.toBeNull();
    }
  });

  it('publishes for each node its own media ports, exactly RTC_PORT … RTC_PORT + MEDIA_WORKERS − 1', () => {
    const taken: number[] = [];
    for (const name of RELAYS) {
      const { port, workers } = config(name).rtc;
      const media = ports(name).filter((p) => p.target[0] !== config(name).port);
      for (const protocol of ['udp', 'tcp']) {
        const mapped = media.filter((p) => p.protocol === protocol);
        expect(mapped, `${name} ${protocol}`).toHaveLength(1);
        const [mapping] = mapped;
        // The host port must be the port mediasoup listens on: it announces that one.
        expect(mapping?.target, `${name} ${protocol}`).toEqual([port, port + workers - 1]);
        expect(mapping?.published, `${name} ${protocol}`).toEqual(mapping?.target);
        expect(mapping?.hostIp, `${name} ${protocol}: media is for the internet`).toBeUndefined();
      }
      for (let p = port; p < port + workers; p++) taken.push(p);
    }
    expect(new Set(taken).size, 'media ports overlap between nodes').toBe(taken.length);
  });

  it("publishes each node's HTTP port to the host's loopback only, for the reverse proxy", () => {
    const published = RELAYS.map((name) => {
      const http = ports(name).filter((p) => p.target[0] === config(name).port);
      expect(http, name).toHaveLength(1);
      expect(http[0]?.hostIp, `${name}: plain HTTP stays behind the TLS proxy`).toBe('127.0.0.1');
      expect(http[0]?.protocol).toBe('tcp');
      return http[0]?.published[0];
    });
    expect(new Set(published).size).toBe(RELAYS.length);
    // METRICS_PORT is never published.
    for (const name of RELAYS) {
      expect(ports(name).some((p) => p.target[0] === config(name).metrics?.port)).toBe(false);
    }
  });

  it('gives each node a volume of its own for /data, where its record journal is', () => {
    const volumes = RELAYS.map((name) => {
      const volume = volumeAt(raw.services[name], '/data') ?? '';
      expect(raw.volumes, `${name}: /data on a named volume`).toHaveProperty(volume);
      expect(path.dirname(config(name).recordJournal.file)).toBe('/data');
      return volume;
    });
    expect(new Set(volumes).size).toBe(RELAYS.length);
  });

  it('starts the nodes after healthy Redis and PostgreSQL, checks readiness and lets them drain', () => {
    for (const name of RELAYS) {
      const s = raw.services[name];
      expect(s?.depends_on).toEqual({
        redis: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
      });
      expect(s?.restart).toBe('unless-stopped');
      expect(s?.healthcheck?.test?.join(' ')).toContain('/readyz');
      const grace = seconds(s?.stop_grace_period ?? '0s');
      // Draining ends calls at DRAIN_TIMEOUT_MS, then hands the lease over and exits.
      expect(grace, name).toBeGreaterThan(config(name).drainTimeoutMs / 1000);
      expect(grace, name).toBeLessThanOrEqual(config(name).drainTimeoutMs / 1000 + 120);
    }
  });

  it('runs Redis with AOF on, on a volume, behind a health check, on the internal network', () => {
    const redis = raw.services.redis;
    const command = redis?.command ?? [];
    expect(command[command.indexOf('--appendonly') + 1]).toBe('yes');
    expect(['always', 'everysec']).toContain(command[command.indexOf('--appendfsync') + 1]);
    expectStore('redis', '/data', 'ping');
  });

  it('runs PostgreSQL with the password the nodes use, on a volume, checked with pg_isready', () => {
    const pg = raw.services.postgres;
    const env = pg?.environment ?? {};
    const url = new URL(config('relay-1').database.url ?? '');
    expect(interpolate(String(env.POSTGRES_PASSWORD))).toBe(decodeURIComponent(url.password));
    expect(references(String(env.POSTGRES_PASSWORD)).map((r) => r.name)).toEqual(
      references(String(raw.services['relay-1']?.environment?.DATABASE_URL)).map((r) => r.name),
    );
    expect(env.POSTGRES_USER).toBe(decodeURIComponent(url.username));
    expect(env.POSTGRES_DB).toBe(url.pathname.slice(1));
    expectStore('postgres', '/var/lib/postgresql/data', 'pg_isready');
  });

  it("configures coturn as docs/turn.md says, with the nodes' secret, listening where TURN_URLS point", () => {
    const coturn = raw.services.coturn;
    const command = coturn?.command;
    expect(coturn?.network_mode).toBe('host');
    expect(command).toContain('--use-auth-secret');
    const secret = flag(command, 'static-auth-secret') ?? '';
    // The same variable, not two that happen to agree.
    expect(references(secret).map((r) => r.name)).toEqual(['TURN_SECRET']);
    expect(references(String(raw.services['relay-1']?.environment?.TURN_SECRET)).map((r) => r.name)).toEqual([
      'TURN_SECRET',
    ]);
    expect(interpolate(flag(command, 'realm') ?? '')).toBe(OPERATOR_ENV.TURN_HOST);

    const turnPorts = (config('relay-1').turn?.urls ?? []).map((u) => {
      const m = /^(turns?):[^:?]+:(\d+)/.exec(u);
      return { tls: m?.[1] === 'turns', port: m?.[2] };
    });
    expect(turnPorts).toContainEqual({ tls: true, port: flag(command, 'tls-listening-port') });
    expect(turnPorts).toContainEqual({ tls: false, port: flag(command, 'listening-port') });
    expect(Number(flag(command, 'min-port'))).toBeLessThan(Number(flag(command, 'max-port')));
    // It must be allowed to relay to the nodes' announced address, and to no private network.
    expect(interpolate(flag(command, 'allowed-peer-ip') ?? '')).toBe(config('relay-1').rtc.announcedAddress);
    expect(command).toContain('--denied-peer-ip=10.0.0.0-10.255.255.255');
    expect(command).toContain('--denied-peer-ip=192.168.0.0-192.168.255.255');
    expect(command).not.toContain('--allow-loopback-peers');
  });

  it('holds no literal secret: every password, secret and token is a variable the operator sets', () => {
    const secretName = /pass(word)?|secret|token/i;
    const checked: string[] = [];
    const mustBeVariable = (where: string, value: string) => {
      checked.push(where);
      const refs = references(value);
      expect(
        refs.length === 1 && value === value.match(INTERPOLATION)?.[0],
        `${where}: a whole \${VAR}`,
      ).toBe(true);
      // A default would be a literal secret: the variable must be required.
      expect(refs[0]?.operator, `${where}: required, \${VAR:?message}`).toMatch(/\?/);
    };
    for (const [where, value] of strings(raw, '')) {
      const key = where.split('.').at(-1) ?? '';
      if (secretName.test(key) && !/\[\d+\]$/.test(where)) mustBeVariable(where, value);
      const arg = /^--?([A-Za-z-]+)=(.*)$/.exec(value);
      if (arg && secretName.test(arg[1]!)) mustBeVariable(`${where} (${arg[1]})`, arg[2]!);
      // scheme://user:password@ where the password is a ${…} (its message may hold spaces) or plain.
      for (const m of value.matchAll(/[a-z]+:\/\/[^:@/\s]+:(\$\{[^}]*\}|[^@/\s]*)@/g)) {
        mustBeVariable(`${where} (URL password)`, m[1]!);
      }
    }
    // The walk found what it is for.
    expect(checked.length).toBeGreaterThanOrEqual(2 * RELAYS.length + 2);
  });

  it('tells the operator what is missing: every variable is required with a message', () => {
    const uses = [...strings(raw, '')].flatMap(([, value]) => references(value));
    expect(new Set(uses.map((r) => r.name))).toEqual(new Set(Object.keys(OPERATOR_ENV)));
    for (const name of Object.keys(OPERATOR_ENV)) {
      const required = uses.filter((r) => r.name === name && r.operator === ':?');
      expect(required.length, `${name}: \${${name}:?…} somewhere`).toBeGreaterThan(0);
      expect(
        required.every((r) => (r.argument ?? '').length > 10),
        `${name}: say what to set`,
      ).toBe(true);
      // A default elsewhere would let a typo in one place pass unnoticed.
      expect(uses.filter((r) => r.name === name && r.operator?.includes('-'))).toEqual([]);
    }
  });
});
