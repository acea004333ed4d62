import { type ErrorCode, type FieldIssue, RelayError } from '../../../common/errors';

/** One issue per offending field, so an API or CLI can point at the exact input. */
export type ValidationIssue = FieldIssue;

/**
 * Base for everything the store throws on purpose. It is a RelayError, so the HTTP and socket
 * layers pass a store refusal to the client with its own code (and issues) instead of `internal`.
 */
export abstract class StoreError<C extends ErrorCode = ErrorCode> extends RelayError<C> {}

export class ValidationError extends StoreError<'invalid-payload'> {
  override name = 'ValidationError';
  constructor(issues: readonly ValidationIssue[]) {
    super('invalid-payload', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
  }
}

export class DuplicateUsernameError extends StoreError<'taken'> {
  override name = 'DuplicateUsernameError';
  constructor(readonly username: string) {
    // The field is named so a registration form can mark it, as for any other refused field.
    super('taken', `username "${username}" is already taken`, {
      issues: [{ field: 'username', message: 'is already taken' }],
    });
  }
}

export class NotFoundError extends StoreError<'not-found'> {
  override name = 'NotFoundError';
  constructor(
    readonly entity: 'account' | 'call',
    readonly key: string,
  ) {
    super('not-found', `no ${entity} with id "${key}"`);
  }
}

/**
 * The store's server could not be reached when opening it. Not a StoreError: no request is being
 * refused; the node cannot start. The message names the address, never the credentials.
 */
export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
  constructor(
    readonly address: string,
    cause: unknown,
  ) {
    super(`cannot connect to PostgreSQL at ${address}: ${describeCause(cause)}`, { cause });
  }
}

/**
 * The SQLite file could not be opened or written: a read-only volume, a folder this user may not
 * write, a path that is not a folder. Like an unreachable PostgreSQL, the node cannot start; the
 * message says which file and why, in terms an operator can act on.
 */
export class DatabaseFileError extends Error {
  override name = 'DatabaseFileError';
  constructor(
    readonly file: string,
    reason: string,
    cause: unknown,
  ) {
    super(`cannot use the database file ${file}: ${reason}`, { cause });
  }
}

/** Node reports a refused connection to every address of a name as an AggregateError with no message. */
function describeCause(cause: unknown): string {
  if (cause instanceof AggregateError && cause.message === '') {
    return cause.errors.map(describeCause).join('; ') || 'connection failed';
  }
  if (cause instanceof Error) return cause.message || cause.name;
  return String(cause);
}
