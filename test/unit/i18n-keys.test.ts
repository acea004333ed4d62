import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TranslationKey } from '../../client/src/i18n';

// tsc checks this file (npm run typecheck): each `@ts-expect-error` below fails the type check if
// the line under it ever compiles, i.e. if translation keys stopped being typed.
const known = ['caller.title', 'call.roles.interpreter', 'figures:loading', 'languageNames:kvk'] as const;
const typed: readonly TranslationKey[] = known;
// @ts-expect-error: no English locale file has this key
const missing: TranslationKey = 'nonexistent.key';
// @ts-expect-error: the namespace exists, the key does not
const missingInNamespace: TranslationKey = 'figures:nonexistent';

function englishHas(key: string): boolean {
  const [ns, path] = key.includes(':') ? key.split(':') : ['translation', key];
  let node: unknown = JSON.parse(fs.readFileSync(`locales/en/${ns}.json`, 'utf8'));
  for (const part of path!.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  return typeof node === 'string';
}

describe('typed translation keys', () => {
  it('accepts keys English has', () => {
    expect(typed.filter((k) => !englishHas(k))).toEqual([]);
  });

  it('refuses, at compile time, the keys English lacks', () => {
    expect([missing, missingInNamespace].filter(englishHas)).toEqual([]);
  });
});
