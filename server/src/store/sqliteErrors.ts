/** better-sqlite3 throws SqliteError with an extended result code such as SQLITE_CONSTRAINT_UNIQUE. */
export function sqliteErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code.startsWith('SQLITE_') ? error.code : undefined;
  }
  return undefined;
}
