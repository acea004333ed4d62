import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { RelayError } from '../../../common/errors';
import { errorMiddleware } from '../http/errors';
import type { Logger } from '../logger';

/**
 * Whether an `Authorization` header carries this bearer token. Both sides are hashed first, so the
 * comparison is constant-time whatever their lengths, and a wrong guess tells nothing of the token.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
  if (given === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** `GET /metrics`: Prometheus' text format; with a token, only for a scrape that carries it. */
export function metricsHandler(registry: Registry, token: string | null): RequestHandler {
  return async (req, res) => {
    if (token !== null && !bearerMatches(req.headers.authorization, token)) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new RelayError('unauthenticated', 'A bearer token is needed for /metrics.');
    }
    const body = await registry.metrics();
    res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(body);
  };
}

/** /metrics alone on a port of its own (METRICS_PORT), bound to METRICS_HOST (loopback by default). */
export async function startMetricsServer(options: {
  registry: Registry;
  token: string | null;
  port: number;
  host: string;
  log: Logger;
  /** `POST /admin/drain`: the operator's way to drain this node, as SIGTERM does. */
  onDrain?: () => void;
}): Promise<{ server: http.Server; port: number }> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(options.registry, options.token));
  const { onDrain, token } = options;
  if (onDrain) {
    // On the operators' port only (never the public one), behind the same token when there is one.
    app.post('/admin/drain', (req, res) => {
      if (token !== null && !bearerMatches(req.headers.authorization, token)) {
        res.set('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new RelayError('unauthenticated', 'A bearer token is needed for /admin/drain.');
      }
      options.log.warn({ from: req.socket.remoteAddress }, 'drain asked for on the operators’ port');
      res.status(202).json({ draining: true });
      onDrain();
    });
  }
  app.use(() => {
    throw new RelayError('not-found', 'Only /metrics and POST /admin/drain are served here.');
  });
  app.use(errorMiddleware(options.log));
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  options.log.info({ host: options.host, port }, 'metrics listening');
  return { server, port };
}
