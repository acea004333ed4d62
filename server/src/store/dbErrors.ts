/**
 * What the store needs to know about driver errors, on either engine. better-sqlite3 throws
 * SqliteError with an extended result code (SQLITE_CONSTRAINT_UNIQUE); pg throws DatabaseError with
 * the SQLSTATE (23505). Both put it in `code`.
 */
export type ConstraintViolation = 'unique' | 'foreign-key';

const VIOLATIONS: Readonly<Record<string, ConstraintViolation>> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  // PostgreSQL reports a duplicate primary key as 23505 too; keep the engines alike.
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign-key',
  '23505': 'unique', // unique_violation
  '23503': 'foreign-key', // foreign_key_violation
};

/** Which constraint the statement broke, or undefined for any other error. */
export function constraintViolation(error: unknown): ConstraintViolation | undefined {
  const code = errorCode(error);
  return code !== undefined && Object.hasOwn(VIOLATIONS, code) ? VIOLATIONS[code] : undefined;
}

/** SQLite's "another connection holds the lock" (SQLITE_BUSY and its extended codes). */
export function isSqliteBusy(error: unknown): boolean {
  return errorCode(error)?.startsWith('SQLITE_BUSY') === true;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

// Node's socket errors when the server is down, restarting or cut off from us.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// SQLSTATE: class 08 is "connection exception"; 57P01–57P03 are a server shutting down or starting.
const UNAVAILABLE_STATES = /^(08...|57P0[123])$/;
// pg reports a lost or never-made connection with a plain Error and only a message.
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

/**
 * The database could not be reached (connection refused or lost, timed out, server shutting down):
 * the same write may succeed later. A constraint, a refused value or a missing row is not this.
 */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.every(isUnreachable);
  const code = errorCode(error);
  if (code !== undefined) return NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code);
  const message = error instanceof Error ? error.message : '';
  return PG_CONNECTION_MESSAGES.some((m) => message.startsWith(m));
}
