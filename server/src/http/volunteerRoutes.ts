import { type Request, type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { RelayError } from '../../../common/errors';
import type { Logger } from '../logger';
import { type Account, NotFoundError, type Store, type VolunteerProfile } from '../store';
import { VolunteerProfilePatch, VolunteerRegistrationInput } from '../store/validation';
import { invalidInput } from './invalidInput';
import { accountOf, type RequireAccount } from './requireAccount';

export interface VolunteerRouterDeps {
  store: Store;
  requireAccount: RequireAccount;
  log: Logger;
  /** Called after a volunteer saved their profile, so the live lobby can pick up languages and hours. */
  onVolunteerProfileChanged?: (accountId: string) => void;
  /** Registrations per IP and window; defaults to 5 per 10 minutes. */
  registrationLimit?: { windowMs: number; limit: number };
}

/** Bodies are parsed with the store's own rules, so the API and the store can never disagree. */
const RegisterBody = VolunteerRegistrationInput.strict();
const ProfileBody = VolunteerProfilePatch.strict().refine((b) => Object.keys(b).length > 0, {
  message: 'send at least one of languages, weeklyHours, timeZone, contact',
});

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
    handler: (_req, _res, next) =>
      next(new RelayError('rate-limited', 'Too many registrations from this address; try again later.')),
  });

  // The store's own refusals (ValidationError, DuplicateUsernameError: 409 taken on `username`) are
  // RelayErrors and reach the client through the error middleware as they are.
  router.post('/volunteers', registrationLimiter, async (req: Request, res: Response) => {
    const body = RegisterBody.safeParse(req.body ?? {});
    if (!body.success) throw invalidInput(body.error);
    const account = await deps.store.volunteers.register(body.data);
    deps.log.info({ accountId: account.id }, 'volunteer registered');
    res.status(201).json({ account: publicVolunteer(account) });
  });

  // Only the signed-in, approved volunteer; re-read on every request, so revoking takes effect at once.
  const volunteerOnly = deps.requireAccount('volunteer');

  router.get('/volunteer/profile', volunteerOnly, async (_req: Request, res: Response) => {
    const account = accountOf(res);
    // Personal data (the contact): never cached anywhere.
    res.set('cache-control', 'no-store');
    const profile = await deps.store.volunteers.getProfile(account.id);
    if (!profile) {
      throw new RelayError('not-found', 'You have no profile yet: add your languages and save.');
    }
    res.json({ profile: profileView(profile) });
  });

  router.put('/volunteer/profile', volunteerOnly, async (req: Request, res: Response) => {
    const account = accountOf(res);
    res.set('cache-control', 'no-store');
    const body = ProfileBody.safeParse(req.body ?? {});
    if (!body.success) throw invalidInput(body.error);
    let profile: VolunteerProfile;
    try {
      profile = await deps.store.volunteers.saveProfile(account.id, body.data);
    } catch (error) {
      // The account vanished after the sign-in check: as good as signed out.
      if (error instanceof NotFoundError) {
        throw new RelayError('unauthenticated', 'Not signed in.', { cause: error });
      }
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
