/** Input rules for the store, shared with the CLI so it can reject bad arguments before asking for a password. */
import { z } from 'zod';
import { CallMode, ClientMessages, LanguageTag } from '../../../common/protocol';
import { SHIFT_NAME } from '../lobby/shifts';
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

/**
 * A display name, as others see it (agents' and volunteers' names reach callers and supervisors):
 * NFC-normalised, so that one name has one spelling, and free of anything that makes it read other
 * than it is. Refused: control characters; bidi controls (U+202A–202E, U+2066–2069, U+200E/200F,
 * U+061C), which can show "Kim" for another string; invisible characters (format characters such as
 * U+200B, U+2060, U+FEFF, the soft hyphen, Hangul fillers, the Braille blank, tags), which make two
 * names look alike; private-use and unassigned code points, which nobody else can read; line and
 * paragraph separators.
 *
 * ZWNJ and ZWJ (U+200C/U+200D) are letters of their own in some scripts: Persian and Urdu names
 * need ZWNJ inside a word (علی‌رضا), Sinhala writes "Sri" with ZWJ (ශ්‍රී), and Bengali, Devanagari,
 * Myanmar and Khmer use them to choose a conjunct or a half-form. They are allowed only there:
 * between two letters or marks of one script that uses them. Anywhere else (between Latin letters,
 * at an end, in an emoji sequence) they are invisible and refused. Variation selectors are allowed
 * right after a letter (a Japanese name's kanji variant, a Mongolian letter's form), nowhere else.
 */
export const DisplayName = z
  .string()
  .trim()
  .normalize('NFC')
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters')
  .superRefine((name, ctx) => {
    const problem = displayNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Scripts whose words use ZWNJ or ZWJ between their letters (see DisplayName). */
const JOINING_SCRIPTS = [
  'Arabic',
  'Bengali',
  'Devanagari',
  'Gujarati',
  'Gurmukhi',
  'Kannada',
  'Khmer',
  'Malayalam',
  'Myanmar',
  'Oriya',
  'Sinhala',
  'Tamil',
  'Telugu',
].map((script) => new RegExp(`^\\p{Script_Extensions=${script}}$`, 'u'));
const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
const LETTER = /^\p{L}$/u;
const JOINER = /^[\u200C\u200D]$/u;
const VARIATION_SELECTOR = /^\p{Variation_Selector}$/u;
const CONTROL = /^\p{Cc}$/u;
const BIDI_CONTROL = /^[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]$/u;
// Default_Ignorable_Code_Point holds the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0) too.
const INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\u2800]$/u;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function joinsTwoLetters(before: string | undefined, after: string | undefined): boolean {
  if (!before || !after || !LETTER_OR_MARK.test(before) || !LETTER_OR_MARK.test(after)) return false;
  return JOINING_SCRIPTS.some((script) => script.test(before) && script.test(after));
}

/** Why a (trimmed, NFC) display name is refused, or undefined when it is fine. */
export function displayNameProblem(name: string): string | undefined {
  const chars = [...name];
  for (const [i, c] of chars.entries()) {
    if (CONTROL.test(c)) return 'must not contain control characters';
    if (BIDI_CONTROL.test(c)) {
      return `must not contain characters that change the direction of text (${codePoint(c)})`;
    }
    if (JOINER.test(c)) {
      if (joinsTwoLetters(chars[i - 1], chars[i + 1])) continue;
      return `may contain ${codePoint(c)} only between two letters of a script that joins them, such as Persian or Sinhala`;
    }
    if (VARIATION_SELECTOR.test(c)) {
      if (LETTER.test(chars[i - 1] ?? '')) continue;
      return `may contain a variation selector (${codePoint(c)}) only right after a letter`;
    }
    if (INVISIBLE.test(c)) return `must not contain invisible characters (${codePoint(c)})`;
  }
  // An empty name is already refused as such.
  if (chars.length > 0 && !chars.some((c) => LETTER.test(c))) return 'must contain a letter';
  return undefined;
}

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

/** An agent's shift: a name from the SHIFTS calendar (which names exist is the CLI's and server's to check). */
export const ShiftName = z
  .string()
  .regex(SHIFT_NAME, "must be 1-32 of a-z, 0-9, '_' and '-' (a name from SHIFTS, e.g. day)");

export const NewAccountInput = z
  .object({
    username: Username,
    displayName: DisplayName,
    role: AccountRoleSchema,
    languages: Languages,
    password: Password,
    approved: z.boolean().default(true),
    shift: ShiftName.nullable().default(null),
  })
  .refine((a) => a.shift === null || a.role === 'agent', {
    message: 'only agents have a shift',
    path: ['shift'],
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

// ── volunteer profiles ───────────────────────────────────────────────────────────────────────────

export const LANGUAGE_LEVELS = ['native', 'fluent', 'conversational'] as const;
export const LanguageLevel = z.enum(LANGUAGE_LEVELS, {
  error: `must be one of ${LANGUAGE_LEVELS.join(', ')}`,
});

/** The language every volunteer bridges to: callers' languages are interpreted to and from Korean. */
export const BRIDGE_LANGUAGE = 'ko';
const MAX_VOLUNTEER_LANGUAGES = 10;
export const MAX_WEEKLY_HOURS = 50;
export const MAX_CONTACT_LENGTH = 200;
export const DEFAULT_VOLUNTEER_TIME_ZONE = 'Asia/Seoul';

const primarySubtag = (tag: string) => tag.split('-')[0] ?? tag;

/**
 * A volunteer's languages with a self-rated level: unique tags, Korean among them, and at least one
 * other language (a volunteer with Korean alone has nothing to interpret).
 */
export const VolunteerLanguages = z
  .array(z.object({ tag: Language, level: LanguageLevel }), { error: 'must be a list of languages' })
  .min(1, 'at least one language is required')
  .max(MAX_VOLUNTEER_LANGUAGES, `at most ${MAX_VOLUNTEER_LANGUAGES} languages`)
  .superRefine((languages, ctx) => {
    const seen = new Set<string>();
    languages.forEach(({ tag }, i) => {
      if (seen.has(tag))
        ctx.addIssue({ code: 'custom', path: [i, 'tag'], message: `${tag} is listed twice` });
      seen.add(tag);
    });
    const korean = languages.filter(({ tag }) => primarySubtag(tag) === BRIDGE_LANGUAGE);
    if (korean.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `a volunteer interprets between a language and Korean: add ${BRIDGE_LANGUAGE}`,
      });
    } else if (korean.length === languages.length) {
      ctx.addIssue({
        code: 'custom',
        message: 'a volunteer interprets between a language and Korean: add the language you interpret',
      });
    }
  });

const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const ClockTime = z.string().regex(CLOCK_TIME, "must be a time 'HH:MM' from 00:00 to 23:59");
const EndTime = z
  .string()
  .regex(new RegExp(`${CLOCK_TIME.source}|^24:00$`), "must be a time 'HH:MM' from 00:01 to 24:00");

/** A weekly availability window in Asia/Seoul; day 0 = Sunday; `end` may be '24:00' (midnight). */
export const WeeklyHoursEntry = z
  .object({
    day: z.int('must be a whole number 0–6 (0 = Sunday)').min(0, 'must be 0–6').max(6, 'must be 0–6'),
    start: ClockTime,
    end: EndTime,
  })
  .refine((h) => h.start < h.end, { path: ['end'], message: 'must be after the start' });

/** Up to 50 windows, none overlapping another on the same day (touching ones, 19:00–21:00 and 21:00–23:00, are fine). */
export const WeeklyHoursList = z
  .array(WeeklyHoursEntry, { error: 'must be a list of { day, start, end }' })
  .max(MAX_WEEKLY_HOURS, `at most ${MAX_WEEKLY_HOURS} entries`)
  .superRefine((hours, ctx) => {
    hours.forEach((a, i) => {
      const clash = hours.findIndex((b, j) => j < i && b.day === a.day && b.start < a.end && a.start < b.end);
      if (clash !== -1) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `${a.start}–${a.end} overlaps ${hours[clash]!.start}–${hours[clash]!.end} on the same day`,
        });
      }
    });
  })
  .transform((hours) =>
    hours.toSorted((a, b) => a.day - b.day || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)),
  );

let knownZones: Map<string, string> | undefined;
/**
 * The volunteer's own spelling is kept ('Asia/Ho_Chi_Minh' stays, though Node's ICU resolves it to the
 * old alias 'Asia/Saigon' and a browser may not); only the letter case is fixed when the name is known.
 */
function spellZone(zone: string): string {
  knownZones ??= new Map(Intl.supportedValuesOf('timeZone').map((z) => [z.toLowerCase(), z]));
  const resolved = new Intl.DateTimeFormat(undefined, { timeZone: zone }).resolvedOptions().timeZone;
  const lower = zone.toLowerCase();
  return knownZones.get(lower) ?? (resolved.toLowerCase() === lower ? resolved : zone);
}

/** An IANA time zone this runtime knows (`Intl.DateTimeFormat` accepts it). */
export const TimeZone = z
  .string('must be an IANA time zone such as Asia/Seoul')
  .trim()
  .min(1, 'must be an IANA time zone such as Asia/Seoul')
  .max(64, 'must be at most 64 characters')
  .transform((zone, ctx) => {
    try {
      return spellZone(zone);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${zone}" is not a known time zone (e.g. Asia/Seoul)` });
      return z.NEVER;
    }
  });

/** E-mail or phone, free text; personal data. Blank means none. */
export const Contact = z
  .string('must be text')
  .trim()
  .normalize('NFC')
  .max(MAX_CONTACT_LENGTH, `must be at most ${MAX_CONTACT_LENGTH} characters`)
  // Supervisors read it: no bidi override or invisible character may disguise an address or number.
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control, bidi or invisible characters')
  .transform((text) => text || null)
  .nullable();

/** What a volunteer edits. Every field is optional: what is left out keeps its saved value. */
export const VolunteerProfilePatch = z.object({
  languages: VolunteerLanguages.optional(),
  weeklyHours: WeeklyHoursList.optional(),
  timeZone: TimeZone.optional(),
  contact: Contact.optional(),
});

export const VolunteerRegistrationInput = z.object({
  username: Username,
  displayName: DisplayName,
  password: Password,
  languages: VolunteerLanguages,
  contact: Contact.optional(),
  timeZone: TimeZone.optional(),
  /** Hours can be given before approval, so a supervisor sees when the volunteer can help. */
  weeklyHours: WeeklyHoursList.optional(),
});
