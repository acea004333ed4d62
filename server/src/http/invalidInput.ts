import type { z } from 'zod';
import { type FieldIssue, RelayError } from '../../../common/errors';

/**
 * A refused body or query: `invalid-payload` naming each bad field, worded as the store words its own
 * refusals. `whole` names the input when an issue belongs to no one field.
 */
export function invalidInput(error: z.ZodError, whole: 'body' | 'query' = 'body'): RelayError {
  const issues = issuesOf(error, whole);
  return new RelayError('invalid-payload', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
    issues,
  });
}

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
