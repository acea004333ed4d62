import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type Tree = { [k: string]: string | Tree };
const locales = fs.readdirSync('locales');
const load = (lng: string) =>
  JSON.parse(fs.readFileSync(path.join('locales', lng, 'translation.json'), 'utf8')) as Tree;

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

function keysUsedInClient(): Set<string> {
  const used = new Set<string>();
  const files = fs
    .readdirSync('client', { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|html)$/.test(f));
  for (const f of files) {
    const text = fs.readFileSync(path.join('client', f), 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(m[1]!);
    for (const m of text.matchAll(/data-i18n="([a-zA-Z0-9_.-]+)"/g)) used.add(m[1]!);
    for (const m of text.matchAll(/data-i18n-attr="[a-z-]+:([a-zA-Z0-9_.-]+)"/g)) used.add(m[1]!);
  }
  return used;
}

describe('translations', () => {
  const en = flatten(load('en'));
  it.each(locales)('%s has every key English has, and no others', (lng) => {
    const keys = new Set([...flatten(load(lng)).keys()].map(base));
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
    const same = [...flatten(load(lng))].filter(([k, v]) => en.get(k) === v && !/^app\.name$/.test(k));
    expect(same).toEqual([]);
  });

  it('has every key the client uses', () => {
    const keys = new Set([...en.keys()].map(base));
    const missing = [...keysUsedInClient()].filter((k) => !keys.has(k));
    expect(missing).toEqual([]);
  });
});
