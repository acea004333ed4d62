import express, { type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { z } from 'zod';
import { RelayError } from '../../../common/errors';
import { type AuthSessions, SESSION_COOKIE } from '../auth/AuthSessions';
import type { Logger } from '../logger';
import { ACCOUNT_ROLES, type Store } from '../store';
import { errorMiddleware, unknownApi } from './errors';
import { healthRoutes, type Phase } from './health';
import { accountMiddleware, accountOf } from './requireAccount';
import { createSupervisorRouter, type SupervisorOverview } from './supervisorRoutes';
import { createVolunteerRouter } from './volunteerRoutes';

export interface HttpDeps {
  store: Store;
  auth: AuthSessions;
  log: Logger;
  clientDir: string;
  trustProxy: boolean;
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies: boolean;
  /** Where the node is in its life: /healthz and /readyz answer from it. */
  phase: () => Phase;
  /** Times every request; `endpoint`: GET /metrics here (when METRICS_TOKEN guards it on PORT). */
  metrics?: { timing: RequestHandler; endpoint?: RequestHandler };
  /** The live queue and staff by state, for the supervisor's page. */
  overview: () => Promise<SupervisorOverview>;
  /** After a volunteer saved their profile (languages, hours): the live lobby re-reads it. */
  onVolunteerProfileChanged?: (accountId: string) => void;
}

const LoginBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.metrics) app.use(deps.metrics.timing);
  // Behind one reverse proxy: its X-Forwarded-For names the client (only one hop is believed).
  app.set('trust proxy', deps.trustProxy ? 1 : false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          connectSrc: ["'self'"],
          mediaSrc: ["'self'", 'blob:'],
          imgSrc: ["'self'", 'data:', 'blob:'],
          styleSrc: ["'self'"],
          scriptSrc: ["'self'"],
          upgradeInsecureRequests: deps.secureCookies ? [] : null,
        },
      },
    }),
  );
  app.use(express.json({ limit: '16kb' }));
  const requireAccount = accountMiddleware(deps);

  app.use(healthRoutes(deps.phase));
  if (deps.metrics?.endpoint) app.get('/metrics', deps.metrics.endpoint);

  // Ten failed sign-ins a minute per address: enough for typos, too few for guessing.
  const loginLimiter = rateLimit({
    windowMs: 60_000,
    limit: 10,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new RelayError('rate-limited', 'Too many sign-in attempts; wait a minute.')),
  });

  app.post('/api/auth/login', loginLimiter, async (req: Request, res: Response) => {
    const body = LoginBody.safeParse(req.body);
    if (!body.success) throw new RelayError('invalid-payload', 'username and password are required');
    const account = await deps.store.accounts.verifyPassword(
      body.data.username.toLowerCase(),
      body.data.password,
    );
    if (!account) {
      deps.log.info({ username: body.data.username }, 'failed sign-in');
      throw new RelayError('unauthenticated', 'Wrong username or password.');
    }
    if (!account.approved) {
      throw new RelayError('forbidden', 'Your account is waiting for a supervisor’s approval.');
    }
    const id = await deps.auth.create({ accountId: account.id, role: account.role });
    res.cookie(SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies,
      path: '/',
      maxAge: 12 * 60 * 60 * 1000,
    });
    deps.log.info({ accountId: account.id, role: account.role }, 'signed in');
    res.json({ account: publicAccount(account) });
  });

  app.post('/api/auth/logout', async (req, res) => {
    await deps.auth.destroy(deps.auth.cookieIdFrom(req.headers.cookie));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });

  // Any role: the staff pages ask who is signed in before they choose what to show.
  app.get('/api/auth/me', requireAccount(ACCOUNT_ROLES), (_req, res) => {
    res.json({ account: publicAccount(accountOf(res)) });
  });

  app.use(
    '/api/supervisor',
    createSupervisorRouter({
      store: deps.store,
      requireAccount,
      log: deps.log,
      overview: deps.overview,
    }),
  );

  app.use('/api', createVolunteerRouter({ ...deps, requireAccount }));
  app.use('/api', unknownApi);

  app.use(express.static(deps.clientDir, { index: 'index.html', maxAge: '1h' }));

  app.use(errorMiddleware(deps.log));
  return app;
}

function publicAccount(a: { id: string; displayName: string; role: string; languages: string[] }) {
  return { id: a.id, displayName: a.displayName, role: a.role, languages: a.languages };
}
