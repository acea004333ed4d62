import { Router } from 'express';
import { z } from 'zod';
import { lastMonths, MONTH, monthBounds, monthsBetween } from '../../../common/months';
import type { LedgerResponse } from '../../../common/ledger';
import { type LedgerFacts, volunteerLedger } from '../ledger/volunteerLedger';
import { invalidInput } from './invalidInput';
import type { RequireAccount } from './requireAccount';
import type { Store } from '../store';

/** A sponsor's report is yearly at most; a longer range is a mistake, not a report. */
export const LEDGER_MAX_MONTHS = 12;
/** Without a range: this month and the two before it, a sponsor's quarter. */
export const LEDGER_DEFAULT_MONTHS = 3;

/** `[from, to)` in ms. */
export interface MonthSpan {
  from: number;
  to: number;
}

export interface LedgerRouterDeps {
  requireAccount: RequireAccount;
  /** The centre's time zone: months are its calendar months. */
  timeZone: string;
  now: () => number;
  /** Every fact of `[from, to)` about volunteers (and the volunteers themselves); `months` split it. */
  facts: (range: MonthSpan & { months: MonthSpan[] }) => Promise<LedgerFacts>;
}

/** Zod runs the range checks even when a month is malformed: they only judge well-formed ones. */
const bothMonths = (q: {
  from?: string | undefined;
  to?: string | undefined;
}): q is { from: string; to: string } =>
  q.from !== undefined && q.to !== undefined && MONTH.test(q.from) && MONTH.test(q.to);
const Month = z.string().regex(MONTH, 'must be a month, YYYY-MM');
const LedgerQuery = z
  .object({ from: Month.optional(), to: Month.optional() })
  .strict()
  .refine((q) => (q.from === undefined) === (q.to === undefined), {
    path: ['to'],
    message: 'give both from and to, or neither',
  })
  .refine((q) => !bothMonths(q) || q.from <= q.to, { path: ['from'], message: 'must not be after to' })
  .refine((q) => !bothMonths(q) || monthsBetween(q.from, q.to).length <= LEDGER_MAX_MONTHS, {
    path: ['to'],
    message: `the range may span at most ${LEDGER_MAX_MONTHS} months`,
  });

/** `GET /api/supervisor/ledger[?from=YYYY-MM&to=YYYY-MM]`: the volunteer ledger, per volunteer and month. */
export function createLedgerRouter(deps: LedgerRouterDeps): Router {
  const router = Router();
  router.use(deps.requireAccount('supervisor'));
  router.get('/ledger', async (req, res) => {
    const query = LedgerQuery.safeParse(req.query);
    if (!query.success) throw invalidInput(query.error, 'query');
    const months = lastMonths(deps.now(), LEDGER_DEFAULT_MONTHS, deps.timeZone);
    const { from = months[0]!, to = months.at(-1)! } = query.data;
    const spans = monthsBetween(from, to).map((month) => monthBounds(month, deps.timeZone));
    const facts = await deps.facts({ from: spans[0]!.from, to: spans.at(-1)!.to, months: spans });
    const rows = volunteerLedger(facts, {
      firstMonth: from,
      lastMonth: to,
      timeZone: deps.timeZone,
      now: deps.now(),
    });
    res.set('cache-control', 'no-store');
    res.json({ from, to, timeZone: deps.timeZone, rows } satisfies LedgerResponse);
  });
  return router;
}

/**
 * The volunteers' presence in [from, to) as the ledger counts it, read a month at a time because
 * the store sums the intervals wholly inside a range in the database: each such sum becomes one
 * interval of that length at the month's start (the ledger only adds lengths per month), and the
 * few intervals crossing a month's edge come whole, once each, to be split by the ledger.
 */
export async function volunteerPresence(
  store: Store,
  months: readonly MonthSpan[],
): Promise<LedgerFacts['presence']> {
  const presence: LedgerFacts['presence'][number][] = [];
  const edges = new Map<string, LedgerFacts['presence'][number]>();
  for (const { from: start, to: end } of months) {
    const { inside, edges: crossing } = await store.presence.overlapping(start, end);
    for (const total of inside)
      if (total.role === 'volunteer')
        presence.push({ accountId: total.accountId, state: total.state, start, end: start + total.ms });
    for (const i of crossing) if (i.role === 'volunteer') edges.set(`${i.accountId}\u0000${i.start}`, i);
  }
  return [...presence, ...edges.values()];
}
