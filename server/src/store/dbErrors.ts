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
