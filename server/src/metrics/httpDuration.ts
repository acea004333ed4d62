import type { Request, RequestHandler } from 'express';
import { Histogram, type Registry } from 'prom-client';

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Times every HTTP request, labelled by method, route pattern (`/api/supervisor/volunteers/:id`,
 * never the raw path, so ids never become labels) and status class (`2xx`…). A request no route
 * matched is `(static)` if it was answered (the built client's files) and `(unmatched)` otherwise.
 */
export function httpDuration(registry: Registry): RequestHandler {
  const histogram = new Histogram({
    name: 'relay_http_request_duration_seconds',
    help: 'HTTP request duration, by method, route pattern and status class.',
    labelNames: ['method', 'route', 'status_class'],
    buckets: BUCKETS,
    registers: [registry],
  });
  return (req, res, next) => {
    const end = histogram.startTimer();
    const route = matchedRoute(req);
    res.once('finish', () => {
      end({
        method: req.method,
        route: route() ?? (res.statusCode < 400 ? '(static)' : '(unmatched)'),
        status_class: `${Math.floor(res.statusCode / 100)}xx`,
      });
    });
    next();
  };
}

/**
 * The full pattern of the route that matched (`/api/supervisor` + `/volunteers/:id/approval`).
 * Express sets `req.route` when a route matches, and leaves `req.baseUrl` as the router's mount
 * path only while inside it: a request whose handler throws reaches the error middleware with the
 * mount path already gone. So the mount path is read at the moment the route is set.
 */
function matchedRoute(req: Request): () => string | undefined {
  let pattern: string | undefined;
  let route: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: unknown) {
      route = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      pattern = typeof path === 'string' ? `${req.baseUrl}${path}` : undefined;
    },
  });
  return () => pattern;
}
