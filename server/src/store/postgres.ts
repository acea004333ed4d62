import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DatabaseUnreachableError } from './errors';
import { isPostgresUrl, postgresAddress } from './location';
import type { Database } from './schema';

// A node that cannot reach PostgreSQL at start must say so soon, not hang on an unanswered SYN.
const CONNECT_TIMEOUT_MS = 5000;

/**
 * BIGINT (int8) comes back as a string by default, because it can exceed 2^53. The store's bigints
 * are millisecond timestamps and durations, far below that; refuse rather than round if one is not.
 */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} does not fit in a JavaScript number`);
  return n;
}

/** Per pool, not pg's global `types.setTypeParser`: other pg users in the process keep the defaults. */
export const POSTGRES_TYPES: pg.CustomTypesConfig = {
  getTypeParser: (id, format) =>
    id === pg.types.builtins.INT8 && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(id, format),
};

/**
 * A Kysely over a pg pool, after one connection has proved the server is reachable.
 * @throws DatabaseUnreachableError naming host:port (never the password)
 */
export async function openPostgres(url: string): Promise<Kysely<Database>> {
  if (!isPostgresUrl(url)) throw new Error('openStore: url must be a postgres:// or postgresql:// URL');
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types: POSTGRES_TYPES,
  });
  // An idle connection that the server drops (restart, failover) is emitted here; without a listener
  // it would crash the process. The pool discards that client and the next query opens a new one.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    throw new DatabaseUnreachableError(postgresAddress(url), error);
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
