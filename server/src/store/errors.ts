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
