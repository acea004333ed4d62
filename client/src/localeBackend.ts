import type { BackendModule, ReadCallback } from 'i18next';

/**
 * Every `locales/<lng>/<namespace>.json` as a lazy chunk: a page downloads its UI language and the
 * fallback only, not all 20 (`translation` is shared, the other namespaces belong to one page).
 */
const loaders = import.meta.glob<Record<string, unknown>>('../../locales/*/*.json', { import: 'default' });

const fileOf = (lng: string, ns: string) => `../../locales/${lng}/${ns}.json`;

/** The namespaces English has; every locale has the same ones (the completeness test checks). */
export const NAMESPACES = Object.keys(loaders)
  .map((file) => /locales\/en\/([^/]+)\.json$/.exec(file)?.[1])
  .filter((ns): ns is Namespace => ns !== undefined);

/** A namespace: a file name under locales/en/ (the completeness test keeps every locale alike). */
export type Namespace = string;

export const localeBackend: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(lng: string, ns: string, callback: ReadCallback): void {
    const load = loaders[fileOf(lng, ns)];
    if (!load) {
      callback(new Error(`no locale file ${lng}/${ns}.json`), false);
      return;
    }
    load().then(
      (data) => callback(null, data as Parameters<ReadCallback>[1]),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), false),
    );
  },
};
