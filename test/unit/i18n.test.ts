import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

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

function keysUsedInClient(): Set<string> {
  const used = new Set<string>();
  const files = fs
    .readdirSync('client', { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|html)$/.test(f));
  const key = '([a-zA-Z0-9_-]+:)?([a-zA-Z0-9_.-]+)';
  const patterns = [
    new RegExp(`\\bt\\(\\s*'${key}'`, 'g'),
    new RegExp(`data-i18n="${key}"`, 'g'),
    new RegExp(`data-i18n-attr="[a-z-]+:${key}"`, 'g'),
  ];
  for (const f of files) {
    const text = fs.readFileSync(path.join('client', f), 'utf8');
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
    const same = [...allKeys(lng)].filter(([k, v]) => en.get(k) === v && !SAME_EVERYWHERE.has(k));
    expect(same).toEqual([]);
  });

  it('has every key the client uses', () => {
    const keys = new Set([...en.keys()].map(base));
    const missing = [...keysUsedInClient()].filter((k) => !keys.has(k));
    expect(missing).toEqual([]);
  });
});
