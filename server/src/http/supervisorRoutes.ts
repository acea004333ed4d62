import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { RelayError } from '../../../common/errors';
import type { LobbySnapshot } from '../lobby';
import type { Logger } from '../logger';
import { type Account, NotFoundError, type Store, type VolunteerProfile } from '../store';
import { accountOf, type RequireAccount } from './requireAccount';

/**
 * What the supervisor's page polls: the lobby's aggregates, the longest wait in line per caller
 * language (ms; only languages someone waits for) and the number of live call sessions.
 */
export type SupervisorOverview = LobbySnapshot & {
  sessions: number;
  longestWaitMsByLanguage: Record<string, number>;
};

export interface SupervisorDeps {
  store: Store;
  requireAccount: RequireAccount;
  log: Logger;
  overview: () => Promise<SupervisorOverview>;
}

/** A volunteer as the supervisor sees them: never the password hash. */
export interface VolunteerView {
  id: string;
  username: string;
  displayName: string;
  languages: string[];
  approved: boolean;
  disabled: boolean;
  createdAt: number;
  /**
   * What the volunteer gave at registration or in their profile, so a supervisor can judge and reach
   * them before approving: null for an account made with the CLI that has no profile yet.
   */
  profile: VolunteerProfileSummary | null;
}

/** Personal data (the contact): only the volunteer and supervisors see it. */
export interface VolunteerProfileSummary {
  languages: { tag: string; level: VolunteerProfile['languages'][number]['level'] }[];
  weeklyHours: { day: number; start: string; end: string }[];
  timeZone: string;
  contact: string | null;
}

const ApprovalBody = z.object({ approved: z.boolean() }).strict();

function profileSummary(p: VolunteerProfile | null): VolunteerProfileSummary | null {
  if (!p) return null;
  return {
    languages: p.languages.map(({ tag, level }) => ({ tag, level })),
    weeklyHours: p.weeklyHours.map(({ day, start, end }) => ({ day, start, end })),
    timeZone: p.timeZone,
    contact: p.contact,
  };
}

function volunteerView(a: Account, profile: VolunteerProfile | null): VolunteerView {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    languages: a.languages,
    approved: a.approved,
    disabled: a.disabled,
    createdAt: a.createdAt,
    profile: profileSummary(profile),
  };
}

/** Pending (not approved, not disabled) first, then approved, then disabled; oldest first within each. */
function byUrgency(a: Account, b: Account): number {
  const rank = (x: Account) => (x.disabled ? 2 : x.approved ? 1 : 0);
  return rank(a) - rank(b) || a.createdAt - b.createdAt || a.username.localeCompare(b.username);
}

/**
 * `/api/supervisor/*`: the live figures and volunteer approval. Every route needs a signed-in,
 * enabled, approved supervisor (the account is re-read on each request, so a change takes effect at once).
 */
export function createSupervisorRouter(deps: SupervisorDeps): Router {
  const router = Router();
  router.use(deps.requireAccount('supervisor'));

  router.get('/overview', async (_req, res) => {
    const overview = await deps.overview();
    res.set('cache-control', 'no-store');
    res.json(overview);
  });

  router.get('/volunteers', async (_req, res) => {
    const volunteers = (await deps.store.accounts.list('volunteer')).sort(byUrgency);
    // One read per volunteer: a centre has tens of them, not thousands.
    const profiles = await Promise.all(volunteers.map((v) => deps.store.volunteers.getProfile(v.id)));
    res.set('cache-control', 'no-store');
    res.json({ volunteers: volunteers.map((v, i) => volunteerView(v, profiles[i] ?? null)) });
  });

  router.post('/volunteers/:id/approval', async (req: Request<{ id: string }>, res: Response) => {
    const body = ApprovalBody.safeParse(req.body);
    if (!body.success) {
      throw new RelayError('invalid-payload', 'The body must be {"approved": true} or {"approved": false}.');
    }
    const { id } = req.params;
    const target = await findVolunteer(id);
    if (!target) throw noSuchVolunteer();
    try {
      await deps.store.accounts.setApproved(target.id, body.data.approved);
    } catch (error) {
      // Deleted between the read and the write: the same answer as never having existed.
      if (error instanceof NotFoundError) throw noSuchVolunteer({ cause: error });
      throw error;
    }
    deps.log.info(
      { supervisorId: accountOf(res).id, volunteerId: target.id, approved: body.data.approved },
      'volunteer approval changed',
    );
    const profile = await deps.store.volunteers.getProfile(target.id);
    res.json({ volunteer: volunteerView({ ...target, approved: body.data.approved }, profile) });
  });

  /** Only volunteers are approved here: an agent's or supervisor's id is "no such volunteer". */
  async function findVolunteer(id: string): Promise<Account | null> {
    const account = await deps.store.accounts.findById(id);
    return account?.role === 'volunteer' ? account : null;
  }

  return router;
}

function noSuchVolunteer(options?: ErrorOptions): RelayError {
  return new RelayError('not-found', 'No such volunteer.', options);
}
