import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatPageWeights, pageWeights } from '../../scripts/pageWeight';

const chunk = (
  fileName: string,
  code: string,
  imports: string[] = [],
  extra: { isEntry?: boolean; name?: string; moduleIds?: string[] } = {},
) => ({
  fileName,
  code,
  imports,
  isEntry: extra.isEntry ?? false,
  name: extra.name ?? fileName,
  moduleIds: extra.moduleIds ?? [`/src/${fileName}.ts`],
});
const gz = (code: string) => gzipSync(code).length;

// Distinct, poorly compressible bodies, so each chunk's share of a sum is visible.
const body = (seed: string) => Array.from({ length: 200 }, (_, i) => `${seed}${(i * 7919) % 1000}`).join(',');

describe('page weights from the bundle', () => {
  const shared = chunk('shared.js', body('s'), ['deep.js']);
  const deep = chunk('deep.js', body('d'));
  const lazy = chunk('call.js', body('l'));
  const caller = chunk('caller.js', body('c'), ['shared.js'], { isEntry: true, name: 'caller' });
  const agent = chunk('agent.js', body('a'), [], { isEntry: true, name: 'agent' });
  const locale = (lng: string, ns: string) =>
    chunk(`locale-${lng}-${ns}.js`, body(`${lng}${ns}`), [], {
      moduleIds: [`/repo/locales/${lng}/${ns}.json`],
    });
  const locales = ['ko', 'en', 'km'].flatMap((lng) =>
    ['translation', 'languageNames', 'figures'].map((ns) => locale(lng, ns)),
  );
  const weights = pageWeights([shared, deep, lazy, caller, agent, ...locales]);
  const of = (page: string) => weights.find((w) => w.page === page)!;

  it('follows static imports transitively and leaves dynamic ones out', () => {
    expect(of('caller').scriptBytes).toBe(gz(caller.code) + gz(shared.code) + gz(deep.code));
    expect(of('agent').scriptBytes).toBe(gz(agent.code));
  });

  it("counts the caller's two namespaces in Korean and English, every namespace for other pages", () => {
    const sizeOf = (lngs: string[], nss: string[]) =>
      locales
        .filter((l) => lngs.some((lng) => nss.some((ns) => l.fileName === `locale-${lng}-${ns}.js`)))
        .reduce((sum, l) => sum + gz(l.code), 0);
    expect(of('caller').localeBytes).toBe(sizeOf(['ko', 'en'], ['translation', 'languageNames']));
    expect(of('agent').localeBytes).toBe(sizeOf(['ko', 'en'], ['translation', 'languageNames', 'figures']));
  });

  it('prints one row per page', () => {
    const lines = formatPageWeights(weights).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^caller\s+\d+\.\d kB/);
  });
});
