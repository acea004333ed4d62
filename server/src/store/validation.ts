/** Input rules for the store, shared with the CLI so it can reject bad arguments before asking for a password. */
import { z } from 'zod';
import { CallMode, ClientMessages, LanguageTag } from '../../../common/protocol';
import { ValidationError, type ValidationIssue } from './errors';
import { ACCOUNT_ROLES, CALL_OUTCOMES } from './schema';

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, "must be 3–32 characters using only a–z, 0–9, '.', '_' or '-'");

export const Password = z
  .string()
  .min(12, 'must be at least 12 characters')
  // Only a guard against absurd input; scrypt cost does not depend on length.
  .max(1024, 'must be at most 1024 characters');

export const DisplayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const AccountRoleSchema = z.enum(ACCOUNT_ROLES, {
  error: `must be one of ${ACCOUNT_ROLES.join(', ')}`,
});

/** One BCP-47 tag, canonicalised by the protocol's own rule so agents' tags compare equal to callers'. */
export const Language = z.string().transform((tag, ctx) => {
  const parsed = LanguageTag.safeParse(tag.trim());
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP-47 language tag (e.g. kvk, ko, en-GB)` });
  return z.NEVER;
});

export const Languages = z
  .array(Language)
  .min(1, 'at least one language is required')
  .max(20, 'at most 20 languages')
  .transform((tags) => [...new Set(tags)]);

export const NewAccountInput = z.object({
  username: Username,
  displayName: DisplayName,
  role: AccountRoleSchema,
  languages: Languages,
  password: Password,
  approved: z.boolean().default(true),
});

export const CallStartInput = z.object({ callerLanguage: Language, mode: CallMode });
export const CallEndInput = z.object({
  outcome: z.enum(CALL_OUTCOMES, { error: `must be one of ${CALL_OUTCOMES.join(', ')}` }),
  waitedMs: z.int().min(0, 'must be a non-negative integer'),
});
// Category and note rules come from the protocol's wrap-up message so the two can't drift apart.
const wrapUpShape = ClientMessages['agent:wrap-up'].shape;
export const WrapUpInput = z.object({
  category: wrapUpShape.category.nullable(),
  resolved: z.boolean(),
  note: wrapUpShape.note.nullable(),
});
export const Rating = z.int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5');
export const Id = z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

/** Parses or throws a ValidationError naming each offending field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, field?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(toIssues(result.error, field));
}

/** Human-readable issues; only the top-level field is named since messages already quote bad values. */
function toIssues(error: z.ZodError, field?: string): ValidationIssue[] {
  return error.issues.map((issue) => ({
    field: field ?? String(issue.path[0] ?? 'input'),
    message: issue.message,
  }));
}
