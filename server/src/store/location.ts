/**
 * Where the store lives: a SQLite file (the embedded default) or a PostgreSQL database (several nodes
 * sharing one centre). Exactly one of the two keys is set.
 */
export type StoreLocation = { path: string; url?: never } | { url: string; path?: never };

export type StoreEngine = 'sqlite' | 'postgres';

export function engineOf(location: StoreLocation): StoreEngine {
  return location.url === undefined ? 'sqlite' : 'postgres';
}

const POSTGRES_PROTOCOLS = new Set(['postgres:', 'postgresql:']);
const DEFAULT_POSTGRES_PORT = '5432';

/** A `postgres://` or `postgresql://` URL that parses (host, port and database are pg's business). */
export function isPostgresUrl(value: string): boolean {
  return URL.canParse(value) && POSTGRES_PROTOCOLS.has(new URL(value).protocol);
}

/**
 * "host:port" of a PostgreSQL URL, for messages: never the user or password. A socket directory
 * given as `?host=/run/postgresql` counts as the host, as it does for pg.
 */
export function postgresAddress(url: string): string {
  const parsed = new URL(url);
  const host = decodeURIComponent(parsed.hostname) || parsed.searchParams.get('host') || 'localhost';
  return `${host}:${parsed.port || DEFAULT_POSTGRES_PORT}`;
}

/** The location for messages and logs: the file, or the URL with its password masked. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.url === undefined) return location.path;
  const parsed = new URL(location.url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
