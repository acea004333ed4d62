import path from 'node:path';
import compression from 'compression';
import express, { type RequestHandler, type Response } from 'express';

/** Vite names every file under assets/ by its content's hash: a new build is a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Pages (and the favicon) keep their names across builds: the browser revalidates each use. */
const REVALIDATE = 'no-cache';

/**
 * Compresses text responses (scripts, styles, pages, JSON; gzip or brotli as the browser asks),
 * above 1 kB. The socket.io polling transport compresses its own way and is not under express.
 */
export function compressText(): RequestHandler {
  return compression({ threshold: 1024 });
}

/** The built client: hashed assets cached for a year, everything else revalidated on each load. */
export function staticClient(clientDir: string): RequestHandler {
  const assetsDir = path.resolve(clientDir, 'assets');
  return express.static(clientDir, {
    index: 'index.html',
    // Set per file below; express's own default (max-age=0) would be overwritten anyway.
    cacheControl: false,
    setHeaders: (res: Response, file: string) => {
      const hashed = path.dirname(path.resolve(file)) === assetsDir;
      res.setHeader('Cache-Control', hashed ? IMMUTABLE : REVALIDATE);
    },
  });
}
