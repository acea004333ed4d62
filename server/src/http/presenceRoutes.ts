import { Router } from 'express';
import { ZonedCalendar } from '../lobby/calendar';
import { presenceFigures } from '../presence/presenceFigures';
import { parseRange } from '../presence/presenceRange';
import type { Store } from '../store';
import type { RequireAccount } from './requireAccount';

export interface PresenceRouteDeps {
  store: Pick<Store, 'presence'>;
  requireAccount: RequireAccount;
  /** The centre's zone: "today" starts at its midnight. */
  timeZone: string;
  clock: () => number;
}

/**
 * `GET /api/supervisor/presence?period=today|7d` (or `from` & `to`): time away per reason and
 * occupancy, for all staff and each member (see presence/presenceFigures.ts for the definitions).
 */
export function createPresenceRouter(deps: PresenceRouteDeps): Router {
  const router = Router();
  const calendar = new ZonedCalendar(deps.timeZone);
  router.use(deps.requireAccount('supervisor'));

  router.get('/presence', async (req, res) => {
    const now = deps.clock();
    const { from, to } = parseRange(req.query, now, calendar);
    const { inside, edges } = await deps.store.presence.overlapping(from, to);
    res.set('cache-control', 'no-store');
    res.json(presenceFigures({ from, to, now, totals: inside, edges }));
  });

  return router;
}
