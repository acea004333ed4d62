import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BRIDGE_LANGUAGE, INTERPRETED_LANGUAGES, KOREAN_SIGN_LANGUAGE } from '../../common/languages';

/**
 * Translation completeness: every locale has every key of every namespace English has (and no
 * others), nothing is left identical to English, and every key the client uses exists.
 */
type Tree = { [k: string]: string | Tree };
const locales = fs.readdirSync('locales');
const namespaces = fs.readdirSync(path.join('locales', 'en')).map((f) => f.replace(/\.json$/, ''));
const load = (lng: string, ns: string): Tree => {
  const file = path.join('locales', lng, `${ns}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Tree) : {};
};

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** Plural keys (`x_one`, `x_other`) are used in code as `x`; languages differ in which forms they need. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
/** Strings that are the same in every language on purpose: names, codes, numbers. */
const SAME_EVERYWHERE = new Set(['translation:app.brand']);
/** Language names spelt as in English by that language too (CLDR's names for Indonesian and Filipino). */
const SAME_AS_ENGLISH: Record<string, readonly string[]> = {
  id: ['th', 'tl', 'km', 'uz', 'ne', 'si', 'ur'].map((c) => `languageNames:${c}`),
  tl: ['tl', 'bn', 'ur'].map((c) => `languageNames:${c}`),
};
/** Every language code a picker or a call can show (common/languages.ts). */
const OFFERED_LANGUAGES = [BRIDGE_LANGUAGE, KOREAN_SIGN_LANGUAGE, ...INTERPRETED_LANGUAGES];

const clientFiles = () =>
  fs
    .readdirSync('client', { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|html)$/.test(f))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join('client', f), 'utf8') }));

function keysUsedInClient(): Set<string> {
  const used = new Set<string>();
  const key = '([a-zA-Z0-9_-]+:)?([a-zA-Z0-9_.-]+)';
  const patterns = [
    new RegExp(`\\bt\\(\\s*'${key}'`, 'g'),
    new RegExp(`data-i18n="${key}"`, 'g'),
    new RegExp(`data-i18n-attr="[a-z-]+:${key}"`, 'g'),
  ];
  for (const { text } of clientFiles()) {
    for (const re of patterns) {
      for (const m of text.matchAll(re)) used.add(`${m[1] ?? 'translation:'}${m[2]}`);
    }
  }
  return used;
}

const allKeys = (lng: string) =>
  new Map(
    namespaces.flatMap((ns) => [...flatten(load(lng, ns))].map(([k, v]) => [`${ns}:${k}`, v] as const)),
  );

describe('translations', () => {
  const en = allKeys('en');
  it.each(locales)('%s has every key English has, and no others', (lng) => {
    const keys = new Set([...allKeys(lng).keys()].map(base));
    const expected = new Set([...en.keys()].map(base));
    expect(
      [...expected].filter((k) => !keys.has(k)),
      'missing',
    ).toEqual([]);
    expect(
      [...keys].filter((k) => !expected.has(k)),
      'unknown',
    ).toEqual([]);
  });

  it.each(locales.filter((l) => l !== 'en'))('%s leaves nothing identical to English', (lng) => {
    const exempt = new Set([...SAME_EVERYWHERE, ...(SAME_AS_ENGLISH[lng] ?? [])]);
    const same = [...allKeys(lng)].filter(([k, v]) => en.get(k) === v && !exempt.has(k));
    expect(same).toEqual([]);
  });

  it('has every key the client uses', () => {
    const keys = new Set([...en.keys()].map(base));
    const missing = [...keysUsedInClient()].filter((k) => !keys.has(k));
    expect(missing).toEqual([]);
  });

  // A key built from a template (`call.roles.${role}`) is checked by tsc over its variable's
  // type (client/src/i18next.d.ts); here its fixed part must at least name a group English has.
  it('knows every key the client builds from a template', () => {
    const keys = [...en.keys()];
    const templates = clientFiles().flatMap(({ file, text }) =>
      [...text.matchAll(/\bt\(\s*`([^`]*)`/g)].map((m) => ({ file, template: m[1]! })),
    );
    expect(templates.length).toBeGreaterThan(0);
    const unknown = templates.filter(({ template }) => {
      const fixed = template.slice(0, template.indexOf('${'));
      const [ns, rest] = fixed.includes(':') ? fixed.split(':') : ['translation', fixed];
      return fixed === '' || !keys.some((k) => k.startsWith(`${ns}:${rest}`));
    });
    expect(unknown).toEqual([]);
  });

  it('lets no key past the type check', () => {
    // Only i18n.ts may call i18next's t with a key tsc has not seen (the markup's data-i18n).
    const untyped = clientFiles().filter(
      ({ file, text }) =>
        file !== path.join('src', 'i18n.ts') && /\bi18n\.t\(|getFixedT\([^)]*\)\(/.test(text),
    );
    expect(untyped.map((f) => f.file)).toEqual([]);
  });
});

describe('language names', () => {
  it.each(locales)('%s names every offered language, by a name and not a code', (lng) => {
    const names = flatten(load(lng, 'languageNames'));
    const bad = OFFERED_LANGUAGES.filter((code) => {
      const name = names.get(code);
      return !name || name.toLowerCase() === code.toLowerCase();
    });
    expect(bad).toEqual([]);
  });

  it('offers each language once', () => {
    expect(new Set(OFFERED_LANGUAGES).size).toBe(OFFERED_LANGUAGES.length);
  });
});
