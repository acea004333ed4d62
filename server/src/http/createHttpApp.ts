import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { z } from 'zod';
import type { Logger } from '../logger';
import type { Store } from '../store';
import { type AuthSessions, SESSION_COOKIE } from './AuthSessions';
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
  health: () => Record<string, unknown>;
  /** The live queue and staff by state, for the supervisor's page. */
  overview: () => SupervisorOverview;
  /** After a volunteer saved their profile (languages, hours): the live lobby re-reads it. */
  onVolunteerProfileChanged?: (accountId: string) => void;
}

const LoginBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
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

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', ...deps.health() });
  });

  // Ten failed sign-ins a minute per address: enough for typos, too few for guessing.
  const loginLimiter = rateLimit({
    windowMs: 60_000,
    limit: 10,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => sendError(res, 429, 'rate-limited', 'Too many sign-in attempts; wait a minute.'),
  });

  app.post('/api/auth/login', loginLimiter, async (req: Request, res: Response) => {
    const body = LoginBody.safeParse(req.body);
    if (!body.success) return sendError(res, 400, 'invalid-payload', 'username and password are required');
    const account = await deps.store.accounts.verifyPassword(
      body.data.username.toLowerCase(),
      body.data.password,
    );
    if (!account) {
      deps.log.info({ username: body.data.username }, 'failed sign-in');
      return sendError(res, 401, 'unauthenticated', 'Wrong username or password.');
    }
    if (!account.approved) {
      return sendError(res, 403, 'forbidden', 'Your account is waiting for a supervisor’s approval.');
    }
    const id = deps.auth.create({ accountId: account.id, role: account.role });
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

  app.post('/api/auth/logout', (req, res) => {
    deps.auth.destroy(deps.auth.cookieIdFrom(req.headers.cookie));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });

  app.get('/api/auth/me', async (req, res) => {
    const who = deps.auth.fromCookieHeader(req.headers.cookie);
    const account = who ? await deps.store.accounts.findById(who.accountId) : null;
    // Disabled or no longer approved: access ends at once, whatever cookie is still held.
    if (!account || account.disabled || !account.approved) {
      return sendError(res, 401, 'unauthenticated', 'Not signed in.');
    }
    res.json({ account: publicAccount(account) });
  });

  app.use(
    '/api/supervisor',
    createSupervisorRouter({ store: deps.store, auth: deps.auth, log: deps.log, overview: deps.overview }),
  );

  app.use('/api', createVolunteerRouter(deps));
  app.use('/api', (_req, res) => sendError(res, 404, 'not-found', 'No such API.'));

  app.use(express.static(deps.clientDir, { index: 'index.html', maxAge: '1h' }));

  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    if (
      err instanceof SyntaxError ||
      (typeof err === 'object' && err !== null && 'type' in err && err.type === 'entity.parse.failed')
    ) {
      return sendError(res, 400, 'invalid-payload', 'The request body is not valid JSON.');
    }
    if (typeof err === 'object' && err !== null && 'type' in err && err.type === 'entity.too.large') {
      return sendError(res, 413, 'invalid-payload', 'The request body is too large.');
    }
    deps.log.error({ err }, 'http request failed');
    sendError(res, 500, 'internal', 'Something went wrong on our side.');
  };
  app.use(onError);
  return app;
}

function publicAccount(a: { id: string; displayName: string; role: string; languages: string[] }) {
  return { id: a.id, displayName: a.displayName, role: a.role, languages: a.languages };
}
