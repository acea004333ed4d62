import express, { type Router } from 'express';
import { RelayError } from '../../../common/errors';
import { errorMiddleware } from './errors';
import type { Logger } from '../logger';

/** Where a node is in its life: setting up (workers, store, cluster join), serving, or draining. */
export type Phase = 'starting' | 'ready' | 'draining';

/**
 * `/healthz` is liveness only (the process answers; 503 while draining, so that a load balancer
 * using it sends nobody new); `/readyz` says whether to send traffic here at all. Neither says
 * anything about calls: they are public.
 */
export function healthRoutes(phase: () => Phase): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (phase() === 'draining') res.status(503).json({ status: 'draining' });
    else res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    const now = phase();
    if (now === 'ready') res.json({ ready: true });
    else res.status(503).json({ ready: false, reason: now });
  });
  return router;
}

/** What answers on PORT while the app is being set up: health and readiness, and 503 for the rest. */
export function startingHttpApp(phase: () => Phase, log: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(phase));
  app.use(() => {
    throw new RelayError('timeout', 'The service is starting; try again in a moment.');
  });
  app.use(errorMiddleware(log));
  return app;
}
