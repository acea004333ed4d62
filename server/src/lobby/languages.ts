// Language tags: canonical form and the "who can serve whom" rule.
//
// Rule (see README): a staff tag serves a caller tag when it is equal to it or a prefix of it by whole
// subtags. `zh` serves `zh-CN`, `zh-Hant` and `zh-Hant-TW`; `zh-Hant` serves `zh-Hant-TW` but neither
// `zh-Hans` nor `zh-CN` nor bare `zh`. So a declaration is a claim of competence over everything it
// covers, and a script or region the caller asked for is never silently replaced by another one.
import type { LanguageTag } from './types';

// Canonicalisation goes through ICU and costs microseconds; the same few tags come back all day.
const cache = new Map<string, LanguageTag | null>();
const CACHE_LIMIT = 2048;

/**
 * Canonical BCP-47 tag (case, deprecated codes such as `iw` → `he`, `cmn` → `zh`), with extensions and
 * private-use parts dropped because they do not change who can serve the caller. `null` when invalid
 * or undetermined (`und`).
 */
export function canonicalLanguage(input: unknown): LanguageTag | null {
  if (typeof input !== 'string') return null;
  const hit = cache.get(input);
  if (hit !== undefined) return hit;
  const result = compute(input);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(input, result);
  return result;
}

function compute(input: string): LanguageTag | null {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 64) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(trimmed);
    if (canonical === undefined) return null;
    const base = new Intl.Locale(canonical).baseName;
    if (base === 'und' || base.startsWith('und-')) return null;
    return base;
  } catch {
    return null;
  }
}

/** `zh-Hant-TW` → [`zh`, `zh-Hant`, `zh-Hant-TW`]: every staff tag that can serve this caller tag. */
export function languagePrefixes(tag: LanguageTag): LanguageTag[] {
  const parts = tag.split('-');
  const out: LanguageTag[] = [];
  for (let i = 1; i <= parts.length; i++) out.push(parts.slice(0, i).join('-'));
  return out;
}

/** True when staff declaring `staffTag` can serve a caller asking for `callerTag` (both canonical). */
export function serves(staffTag: LanguageTag, callerTag: LanguageTag): boolean {
  return callerTag === staffTag || callerTag.startsWith(`${staffTag}-`);
}

/** The primary language subtag: `ko-KR` → `ko`. Used for the bridge language, where region does not matter. */
export function primaryLanguage(tag: LanguageTag): string {
  const dash = tag.indexOf('-');
  return dash === -1 ? tag : tag.slice(0, dash);
}

/**
 * Canonicalises a staff member's list, drops duplicates and tags already covered by a broader one
 * (`['zh', 'zh-Hant']` → `['zh']`) so that each person is counted once per caller language.
 * Returns the first invalid input instead when there is one.
 */
export function canonicalStaffLanguages(
  inputs: unknown,
): { ok: true; tags: LanguageTag[] } | { ok: false; invalid: string } {
  if (!Array.isArray(inputs) || inputs.length === 0) return { ok: false, invalid: String(inputs) };
  const tags: LanguageTag[] = [];
  for (const input of inputs) {
    const tag = canonicalLanguage(input);
    if (tag === null) return { ok: false, invalid: String(input) };
    if (!tags.includes(tag)) tags.push(tag);
  }
  const reduced = tags.filter((t) => !tags.some((other) => other !== t && serves(other, t)));
  reduced.sort();
  return { ok: true, tags: reduced };
}
