import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The caller page's JavaScript before a call must stay within this, gzipped as the server sends it. */
export const CALLER_BUDGET_BYTES = 150 * 1024;

interface ChunkFacts {
  fileName: string;
  code: string;
  imports: string[];
  isEntry: boolean;
  name: string;
  moduleIds: string[];
}

export interface PageWeight {
  page: string;
  /** The entry chunk and every chunk it imports statically: what runs before anything is clicked. */
  scriptBytes: number;
  /** The locale chunks a first visit loads: the default UI language and the fallback. */
  localeBytes: number;
  /** The same, uncompressed. */
  rawBytes: number;
}

/** gzip (zlib's default level, as the compression middleware sends it), once per chunk. */
const gzipSizes = new Map<string, number>();
const gzipped = (code: string) => {
  let size = gzipSizes.get(code);
  if (size === undefined) gzipSizes.set(code, (size = gzipSync(code).length));
  return size;
};

/** Locale chunks loaded on a first visit (Korean is the default UI language, English the fallback). */
const FIRST_VISIT_LOCALES = /locales\/(ko|en)\/(translation|languageNames)\.json$/;
/** Every page loads the shared namespace and the language names; others belong to one page. */
const NAMESPACES_BY_PAGE: Record<string, RegExp> = {
  caller: FIRST_VISIT_LOCALES,
};
const ALL_NAMESPACES_FIRST_VISIT = /locales\/(ko|en)\/[^/]+\.json$/;

/** Sums, per page, the gzip size of the JavaScript it loads before any user action. */
export function pageWeights(chunks: readonly ChunkFacts[]): PageWeight[] {
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const locales = chunks.filter((c) => !c.isEntry && c.moduleIds.some((id) => /\/locales\//.test(id)));
  return chunks
    .filter((c) => c.isEntry)
    .map((entry) => {
      const seen = new Set<string>();
      const visit = (file: string): void => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const f of byFile.get(file)?.imports ?? []) visit(f);
      };
      visit(entry.fileName);
      const pattern = NAMESPACES_BY_PAGE[entry.name] ?? ALL_NAMESPACES_FIRST_VISIT;
      const localeChunks = locales.filter((c) => c.moduleIds.some((id) => pattern.test(id)));
      const scripts = [...seen].map((f) => byFile.get(f)!);
      return {
        page: entry.name,
        scriptBytes: scripts.reduce((sum, c) => sum + gzipped(c.code), 0),
        localeBytes: localeChunks.reduce((sum, c) => sum + gzipped(c.code), 0),
        rawBytes: [...scripts, ...localeChunks].reduce((sum, c) => sum + Buffer.byteLength(c.code), 0),
      };
    });
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

export function formatPageWeights(weights: readonly PageWeight[]): string {
  const rows = weights.map((w) => [
    w.page,
    kB(w.scriptBytes),
    kB(w.localeBytes),
    kB(w.scriptBytes + w.localeBytes),
    kB(w.rawBytes),
  ]);
  const header = ['page', 'scripts (gzip)', 'locales ko+en (gzip)', 'total (gzip)', 'total (raw)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A Vite plugin printing each page's JavaScript weight on load, as transferred, after the build. */
export function pageWeightReport(): Plugin {
  return {
    name: 'relay-page-weight',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks: ChunkFacts[] = Object.values(bundle).flatMap((c) =>
        c.type === 'chunk'
          ? [
              {
                fileName: c.fileName,
                code: c.code,
                imports: c.imports,
                isEntry: c.isEntry,
                name: c.name,
                moduleIds: c.moduleIds,
              },
            ]
          : [],
      );
      const weights = pageWeights(chunks);
      const caller = weights.find((w) => w.page === 'caller');
      const callerTotal = caller ? caller.scriptBytes + caller.localeBytes : 0;
      this.info(
        `JavaScript each page loads before any action (gzip, as the server sends it):\n${formatPageWeights(weights)}\n` +
          `caller page before a call: ${kB(callerTotal)} of a ${kB(CALLER_BUDGET_BYTES)} budget`,
      );
    },
  };
}
