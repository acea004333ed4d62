import express, { type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import { RelayError } from '../../../common/errors';
import { type AuthSessions, SESSION_COOKIE } from '../auth/AuthSessions';
import { type SignInLimitOptions, SignInLimits } from '../auth/SignInLimits';
import { DEFAULT_CONFIG, type ShiftDefinition } from '../lobby';
import type { Logger } from '../logger';
import { ACCOUNT_ROLES, type Store } from '../store';
import { errorMiddleware, unknownApi } from './errors';
import { healthRoutes, type Phase } from './health';
import { isAllowedOrigin, STATE_CHANGING } from '../auth/origins';
import { accountMiddleware, accountOf } from './requireAccount';
import { createFiguresRouter } from './figuresRoutes';
import { createLedgerRouter, volunteerPresence } from './ledgerRoutes';
import { createStaffingRouter } from './staffingRoutes';
import { createPresenceRouter } from './presenceRoutes';
import { createSupervisorRouter, type SupervisorOverview } from './supervisorRoutes';
import { CentreCalendar } from '../figures/calendar';
import { DEFAULT_THRESHOLDS } from '../figures/thresholds';
import { createVolunteerRouter } from './volunteerRoutes';
import { compressText, staticClient } from './staticClient';

export interface HttpDeps {
  store: Store;
  auth: AuthSessions;
  log: Logger;
  clientDir: string;
  trustProxy: boolean;
  /** Our pages' origins (PUBLIC_URL's and ALLOWED_ORIGINS); empty or absent: the request's own Host. */
  allowedOrigins?: readonly string[];
  /** For the sign-in limits; Date.now if absent. */
  clock?: () => number;
  /** SIGN_IN_LIMITS if absent. */
  signInLimits?: SignInLimitOptions;
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies: boolean;
  /** Where the node is in its life: /healthz and /readyz answer from it. */
  phase: () => Phase;
  /** Times every request; `endpoint`: GET /metrics here (when METRICS_TOKEN guards it on PORT). */
  metrics?: { timing: RequestHandler; endpoint?: RequestHandler };
  /** The live queue and staff by state, for the supervisor's page. */
  overview: () => Promise<SupervisorOverview>;
  /** The centre's zone and shift calendar (the staffing history reads them); the lobby's defaults if absent. */
  centre?: { timeZone: string; shifts: readonly ShiftDefinition[] };
  /** After a volunteer saved their profile (languages, hours): the live lobby re-reads it. */
  onVolunteerProfileChanged?: (accountId: string) => void;
  /** The figures' calendar (zone, SHIFTS) and SL_THRESHOLDS; the defaults when absent. */
  figures?: { calendar: CentreCalendar; thresholds: readonly number[] };
}

const LoginBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const centre = deps.centre ?? { timeZone: DEFAULT_CONFIG.timeZone, shifts: DEFAULT_CONFIG.shifts };
  const calendar = deps.figures?.calendar ?? new CentreCalendar(centre.timeZone, centre.shifts);
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
  // A foreign page must not act with our users' cookies (SameSite=Strict is the first wall, this the
  // second): anything that changes state must come from one of our pages, or from no page at all.
  const allowedOrigins = deps.allowedOrigins ?? [];
  app.use((req, _res, next) => {
    if (STATE_CHANGING.has(req.method) && !isAllowedOrigin(req.headers, allowedOrigins)) {
      deps.log.warn(
        { method: req.method, path: req.path, origin: req.headers.origin },
        'cross-origin request refused',
      );
      throw new RelayError(
        'forbidden',
        'Cross-origin request refused: only this service’s own pages may send it.',
      );
    }
    next();
  });
  app.use(compressText());
  app.use(express.json({ limit: '16kb' }));
  const requireAccount = accountMiddleware(deps);

  app.use(healthRoutes(deps.phase));
  if (deps.metrics?.endpoint) app.get('/metrics', deps.metrics.endpoint);

  // Per account name and per address (auth/SignInLimits): guessing is slow, a NAT's neighbours unharmed.
  const limits = new SignInLimits(deps.clock ?? Date.now, deps.signInLimits);

  app.post('/api/auth/login', async (req: Request, res: Response) => {
    const body = LoginBody.safeParse(req.body);
    if (!body.success) throw new RelayError('invalid-payload', 'username and password are required');
    const username = body.data.username.trim().toLowerCase();
    const address = req.ip ?? 'unknown';
    const attempt = limits.attempt(address, username);
    if (!attempt.allowed) {
      const seconds = Math.ceil(attempt.retryAfterMs / 1000);
      res.set('Retry-After', String(seconds));
      deps.log.info({ username, address }, 'sign-in refused: too many attempts');
      throw new RelayError('rate-limited', `Too many sign-in attempts; try again in ${seconds} s.`);
    }
    const account = await deps.store.accounts.verifyPassword(username, body.data.password);
    if (!account) {
      deps.log.info({ username, address }, 'failed sign-in');
      throw new RelayError('unauthenticated', 'Wrong username or password.');
    }
    // Told only with the right password, and still counted as a failure: under guessing, this
    // answer is locked out like any other, so it cannot confirm a password.
    if (!account.approved) {
      deps.log.info({ accountId: account.id }, 'sign-in refused: awaiting approval');
      throw new RelayError('awaiting-approval', 'Your account is waiting for a supervisor’s approval.');
    }
    limits.succeeded(address, username);
    const id = await deps.auth.create({
      accountId: account.id,
      role: account.role,
      generation: account.sessionGeneration,
    });
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
  app.use(
    '/api/supervisor',
    createStaffingRouter({
      store: deps.store,
      requireAccount,
      clock: deps.clock ?? Date.now,
      timeZone: centre.timeZone,
      shifts: centre.shifts,
    }),
  );
  app.use(
    '/api/supervisor',
    createPresenceRouter({
      store: deps.store,
      requireAccount,
      calendar,
      clock: deps.clock ?? Date.now,
    }),
  );

  app.use(
    '/api/supervisor',
    createFiguresRouter({
      store: deps.store,
      requireAccount,
      calendar,
      thresholds: deps.figures?.thresholds ?? DEFAULT_THRESHOLDS,
      clock: deps.clock ?? Date.now,
    }),
  );

  app.use(
    '/api/supervisor',
    createLedgerRouter({
      requireAccount,
      timeZone: calendar.timeZone,
      now: deps.clock ?? Date.now,
      facts: async ({ from, to, months }) => {
        const [volunteers, events, presence] = await Promise.all([
          deps.store.accounts.list('volunteer'),
          deps.store.history.ledgerFacts(from, to),
          volunteerPresence(deps.store, months),
        ]);
        return {
          volunteers: volunteers.map((v) => ({ id: v.id, name: v.displayName })),
          ...events,
          presence,
        };
      },
    }),
  );

  app.use('/api', createVolunteerRouter({ ...deps, requireAccount }));
  app.use('/api', unknownApi);

  app.use(staticClient(deps.clientDir));

  app.use(errorMiddleware(deps.log));
  return app;
}

function publicAccount(a: { id: string; displayName: string; role: string; languages: string[] }) {
  return { id: a.id, displayName: a.displayName, role: a.role, languages: a.languages };
}
