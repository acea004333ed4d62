import { Router } from 'express';
import { z } from 'zod';
import type { StaffingResponse } from '../../../common/staffing';
import type { ShiftDefinition } from '../lobby';
import { TargetSchema } from '../staffing/cliArgs';
import { historyWindow, staffingFromHistory } from '../staffing/history';
import type { Store } from '../store';
import { invalidInput } from './invalidInput';
import type { RequireAccount } from './requireAccount';

export interface StaffingDeps {
  store: Store;
  requireAccount: RequireAccount;
  clock: () => number;
  /** The centre's zone and shift calendar, in which the history's weekdays, hours and shifts are read. */
  timeZone: string;
  shifts: readonly ShiftDefinition[];
}

/** Half a year at most: older weeks say little about the next one, and the read stays bounded. */
const MAX_WEEKS = 26;
const DEFAULT_TARGET = '80/20';

const WEEKS = { message: `must be a whole number of weeks from 1 to ${MAX_WEEKS}` };

const StaffingQuery = z.object({
  weeks: z.coerce.number(WEEKS).int(WEEKS).min(1, WEEKS).max(MAX_WEEKS, WEEKS).default(4),
  target: z
    .string({ message: 'must look like 80/20: the percent answered, a slash, within how many seconds' })
    .default(DEFAULT_TARGET)
    .pipe(TargetSchema)
    .refine(({ thresholdS }) => thresholdS >= 1 && thresholdS <= 3600, {
      message: 'must have a threshold from 1 to 3600 seconds',
    }),
});

/**
 * `GET /api/supervisor/staffing?weeks=4&target=80/20`: the agents each shift needs, computed from the
 * last `weeks` weeks of calls (see staffing/history.ts), beside the agents rostered on it.
 */
export function createStaffingRouter(deps: StaffingDeps): Router {
  const router = Router();
  router.use(deps.requireAccount('supervisor'));

  router.get('/staffing', async (req, res) => {
    const query = StaffingQuery.safeParse(req.query);
    if (!query.success) throw invalidInput(query.error, 'query');
    const { weeks, target } = query.data;
    const { from, to } = historyWindow(deps.clock(), weeks);
    const [records, accounts] = await Promise.all([
      deps.store.calls.between(from, to),
      deps.store.accounts.list('agent'),
    ]);
    const body: StaffingResponse = staffingFromHistory({
      records,
      from,
      to,
      weeks,
      target: { serviceLevel: target.percent / 100, thresholdS: target.thresholdS },
      timeZone: deps.timeZone,
      shifts: deps.shifts,
      accounts,
    });
    res.set('cache-control', 'no-store');
    res.json(body);
  });

  return router;
}
