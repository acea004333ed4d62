/**
 * A refused request body or query, as every route answers it: `invalid-payload` naming each bad
 * field, worded as the store words its own refusals.
 */
import type { z } from 'zod';
import { type FieldIssue, RelayError } from '../../../common/errors';

export function invalidInput(error: z.ZodError, whole = 'body'): RelayError {
  const issues = issuesOf(error, whole);
  return new RelayError('invalid-payload', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
    issues,
  });
}

/** `whole` names the field of an issue about the input as a whole (`body`, `query`). */
function issuesOf(error: z.ZodError, whole: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field:
      issue.code === 'unrecognized_keys'
        ? issue.keys.join(', ')
        : issue.path.length > 0
          ? issue.path.map(String).join('.')
          : whole,
    message: issue.code === 'unrecognized_keys' ? 'is not a field of this request' : issue.message,
  }));
}
