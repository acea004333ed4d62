// Types for the parts of ensure.mjs that TypeScript code (the container test) uses.
export function cacheDir(): string;
export function workerCacheEntry(version: string): string;
export function ensureWorker(projectDir: string): Promise<string>;
