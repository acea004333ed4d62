import { type Request, type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { z } from 'zod';
import type { Logger } from '../logger';
import {
  type Account,
  DuplicateUsernameError,
  NotFoundError,
  type Store,
  ValidationError,
  type ValidationIssue,
  type VolunteerProfile,
} from '../store';
import { VolunteerProfilePatch, VolunteerRegistrationInput } from '../store/validation';
import type { AuthSessions } from './AuthSessions';

export interface VolunteerRouterDeps {
  store: Store;
  auth: AuthSessions;
  log: Logger;
  /** Called after a volunteer saved their profile, so the live lobby can pick up languages and hours. */
  onVolunteerProfileChanged?: (accountId: string) => void;
  /** Registrations per IP and window; defaults to 5 per 10 minutes. */
  registrationLimit?: { windowMs: number; limit: number };
}

/** The error body every route sends: `{ error: { code, message, issues? } }`, issues naming each bad field. */
function sendError(res: Response, status: number, code: string, message: string, issues?: ValidationIssue[]) {
  res.status(status).json({ error: { code, message, ...(issues && { issues }) } });
}

function sendInvalid(res: Response, issues: readonly ValidationIssue[]): void {
  const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  sendError(res, 400, 'invalid-payload', message, [...issues]);
}

/** Bodies are parsed with the store's own rules, so the API and the store can never disagree. */
const RegisterBody = VolunteerRegistrationInput.strict();
const ProfileBody = VolunteerProfilePatch.strict().refine((b) => Object.keys(b).length > 0, {
  message: 'send at least one of languages, weeklyHours, timeZone, contact',
});

function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    field:
      issue.code === 'unrecognized_keys'
        ? issue.keys.join(', ')
        : issue.path.length > 0
          ? issue.path.map(String).join('.')
          : 'body',
    message: issue.code === 'unrecognized_keys' ? 'is not a field of this request' : issue.message,
  }));
}

function publicVolunteer(a: Account) {
  return { id: a.id, username: a.username, displayName: a.displayName, role: a.role, approved: a.approved };
}

/**
 * Volunteers' own API, mounted at `/api`:
 * - `POST /volunteers` registers (anyone, rate-limited): 201 `{ account }`, 400, 409 taken, 429.
 * - `GET /volunteer/profile` and `PUT /volunteer/profile`: the signed-in, approved volunteer's profile.
 */
export function createVolunteerRouter(deps: VolunteerRouterDeps): Router {
  const router = Router();
  const { windowMs, limit } = deps.registrationLimit ?? { windowMs: 10 * 60_000, limit: 5 };

  const registrationLimiter = rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) =>
      sendError(res, 429, 'rate-limited', 'Too many registrations from this address; try again later.'),
  });

  router.post('/volunteers', registrationLimiter, async (req: Request, res: Response) => {
    const body = RegisterBody.safeParse(req.body ?? {});
    if (!body.success) return sendInvalid(res, issuesOf(body.error));
    try {
      const account = await deps.store.volunteers.register(body.data);
      deps.log.info({ accountId: account.id }, 'volunteer registered');
      res.status(201).json({ account: publicVolunteer(account) });
    } catch (error) {
      if (error instanceof DuplicateUsernameError) {
        return sendError(res, 409, 'taken', 'This username is already taken; choose another.', [
          { field: 'username', message: 'is already taken' },
        ]);
      }
      if (error instanceof ValidationError) return sendInvalid(res, error.issues);
      throw error;
    }
  });

  /** The signed-in volunteer, or null after an error response has been sent. */
  async function volunteerOf(req: Request, res: Response): Promise<Account | null> {
    const who = deps.auth.fromCookieHeader(req.headers.cookie);
    // Re-read on every request, so disabling or revoking an account takes effect at once.
    const account = who ? await deps.store.accounts.findById(who.accountId) : null;
    if (!account || account.disabled) {
      sendError(res, 401, 'unauthenticated', 'Not signed in.');
      return null;
    }
    if (account.role !== 'volunteer') {
      sendError(res, 403, 'forbidden', 'Only volunteer interpreters have a profile here.');
      return null;
    }
    if (!account.approved) {
      sendError(res, 403, 'forbidden', 'Your account is waiting for a supervisor’s approval.');
      return null;
    }
    return account;
  }

  router.get('/volunteer/profile', async (req: Request, res: Response) => {
    const account = await volunteerOf(req, res);
    if (!account) return;
    // Personal data (the contact): never cached anywhere.
    res.set('cache-control', 'no-store');
    const profile = await deps.store.volunteers.getProfile(account.id);
    if (!profile) {
      return sendError(res, 404, 'not-found', 'You have no profile yet: add your languages and save.');
    }
    res.json({ profile: profileView(profile) });
  });

  router.put('/volunteer/profile', async (req: Request, res: Response) => {
    const account = await volunteerOf(req, res);
    if (!account) return;
    res.set('cache-control', 'no-store');
    const body = ProfileBody.safeParse(req.body ?? {});
    if (!body.success) return sendInvalid(res, issuesOf(body.error));
    let profile: VolunteerProfile;
    try {
      profile = await deps.store.volunteers.saveProfile(account.id, body.data);
    } catch (error) {
      if (error instanceof ValidationError) return sendInvalid(res, error.issues);
      if (error instanceof NotFoundError) return sendError(res, 401, 'unauthenticated', 'Not signed in.');
      throw error;
    }
    deps.log.info({ accountId: account.id }, 'volunteer profile saved');
    try {
      deps.onVolunteerProfileChanged?.(account.id);
    } catch (err) {
      // The profile is saved either way; the live lobby catches up at the volunteer's next sign-in.
      deps.log.error({ err, accountId: account.id }, 'onVolunteerProfileChanged failed');
    }
    res.json({ profile: profileView(profile) });
  });

  return router;
}

/** The profile as the API sends it (the store's shape, spelled out so a store change is a deliberate API change). */
function profileView(p: VolunteerProfile) {
  return {
    accountId: p.accountId,
    languages: p.languages,
    weeklyHours: p.weeklyHours,
    timeZone: p.timeZone,
    contact: p.contact,
    updatedAt: p.updatedAt,
  };
}
