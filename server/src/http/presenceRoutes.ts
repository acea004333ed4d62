import { Router } from 'express';
import { z } from 'zod';
import type { CentreCalendar } from '../figures/calendar';
import { presenceFigures } from '../presence/presenceFigures';
import type { Store } from '../store';
import { invalidInput } from './invalidInput';
import { checkRange, RANGE, rangeOf } from './rangeQuery';
import type { RequireAccount } from './requireAccount';

const PresenceQuery = z.strictObject(RANGE).superRefine(checkRange);

export interface PresenceRouteDeps {
  store: Pick<Store, 'presence'>;
  requireAccount: RequireAccount;
  /** The centre's calendar: "today" starts at its midnight. */
  calendar: CentreCalendar;
  clock: () => number;
}

/**
 * `GET /api/supervisor/presence?period=today|7d` (or `from` & `to`; neither: today): time away per reason and
 * occupancy, for all staff and each member (see presence/presenceFigures.ts for the definitions).
 */
export function createPresenceRouter(deps: PresenceRouteDeps): Router {
  const router = Router();
  router.use(deps.requireAccount('supervisor'));

  router.get('/presence', async (req, res) => {
    const query = PresenceQuery.safeParse(req.query);
    if (!query.success) throw invalidInput(query.error, 'query');
    const now = deps.clock();
    const { from, to } = rangeOf(query.data, { calendar: deps.calendar, clock: () => now });
    const { inside, edges } = await deps.store.presence.overlapping(from, to);
    res.set('cache-control', 'no-store');
    res.json(presenceFigures({ from, to, now, totals: inside, edges }));
  });

  return router;
}
