import type { ErrorCode } from '../../../common/protocol';

/** One issue per offending field, so an API or CLI can point at the exact input. */
export interface ValidationIssue {
  field: string;
  message: string;
}

/**
 * Base for everything the store throws on purpose. `code` reuses the protocol's error codes so the
 * HTTP and socket layers can pass a store error straight to the client.
 */
export abstract class StoreError extends Error {
  abstract readonly code: ErrorCode;
}

export class ValidationError extends StoreError {
  override name = 'ValidationError';
  readonly code = 'invalid-payload';
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

export class DuplicateUsernameError extends StoreError {
  override name = 'DuplicateUsernameError';
  readonly code = 'taken';
  constructor(readonly username: string) {
    super(`username "${username}" is already taken`);
  }
}

export class NotFoundError extends StoreError {
  override name = 'NotFoundError';
  readonly code = 'not-found';
  constructor(
    readonly entity: 'account' | 'call',
    readonly key: string,
  ) {
    super(`no ${entity} with id "${key}"`);
  }
}
