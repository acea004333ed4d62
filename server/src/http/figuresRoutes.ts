import { type Request, Router } from 'express';
import type { FiguresResponse } from '../../../common/figures';
import { z } from 'zod';
import type { CentreCalendar } from '../figures/calendar';
import { type CallSummary, summarizeAll } from '../figures/callSummary';
import { computeFigures, GROUP_BYS } from '../figures/figures';
import { Thresholds } from '../figures/thresholds';
import { CALL_OUTCOMES, type CallListItem, type Store } from '../store';
import { invalidInput } from './invalidInput';
import { checkRange, Ms, RANGE, rangeOf } from './rangeQuery';
import type { RequireAccount } from './requireAccount';

export interface FiguresDeps {
  store: Pick<Store, 'history'>;
  requireAccount: RequireAccount;
  /** The centre's zone and shifts: "today", and the groups by shift, hour and weekday. */
  calendar: CentreCalendar;
  /** SL_THRESHOLDS: the default service-level thresholds, in seconds. */
  thresholds: readonly number[];
  clock: () => number;
}

export type { FiguresResponse };

const FiguresQuery = z
  .strictObject({
    ...RANGE,
    groupBy: z.enum(GROUP_BYS).default('none'),
    thresholds: Thresholds.optional(),
  })
  .superRefine(checkRange);

const CallsQuery = z
  .strictObject({
    ...RANGE,
    language: z.string().min(1).max(35).optional(),
    mode: z.enum(['video', 'text']).optional(),
    outcome: z.enum(CALL_OUTCOMES).optional(),
    agentId: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: Ms.optional(),
  })
  .superRefine(checkRange);

/**
 * `/api/supervisor/figures` and `/api/supervisor/calls`: the centre's figures over a range, grouped,
 * and its calls page by page (docs/metrics.md). Supervisors only.
 */
export function createFiguresRouter(deps: FiguresDeps): Router {
  const router = Router();
  router.use(deps.requireAccount('supervisor'));

  router.get('/figures', async (req, res) => {
    const query = parseQuery(FiguresQuery, req);
    const { from, to } = rangeOf(query, deps);
    const thresholds = query.thresholds ?? [...deps.thresholds];
    const calls = await summaries(deps, from, to);
    const { total, groups } = computeFigures(calls, query.groupBy, thresholds);
    const names =
      query.groupBy === 'agent' ? await deps.store.history.names(groups.map((g) => g.key)) : new Map();
    const body: FiguresResponse = {
      from,
      to,
      timeZone: deps.calendar.timeZone,
      thresholds,
      groupBy: query.groupBy,
      total,
      groups: groups.map((g) => ({ ...g, label: names.get(g.key) ?? g.key })),
    };
    res.set('cache-control', 'no-store');
    res.json(body);
  });

  router.get('/calls', async (req, res) => {
    const query = parseQuery(CallsQuery, req);
    // The store's own filter schema drops `period`, the range's other name.
    const page: { calls: CallListItem[]; next: number | null } = await deps.store.history.list({
      ...query,
      ...rangeOf(query, deps),
    });
    res.set('cache-control', 'no-store');
    res.json(page);
  });

  return router;
}

// A year of a busy centre's events would not fit in memory at once: they are read a week at a
// time, and only each call's summary is kept.
const CHUNK_MS = 7 * 86_400_000;

async function summaries(deps: FiguresDeps, from: number, to: number): Promise<CallSummary[]> {
  const calls: CallSummary[] = [];
  for (let start = from; start < to; start += CHUNK_MS) {
    const history = await deps.store.history.range(start, Math.min(to, start + CHUNK_MS));
    for (const call of summarizeAll(history, (at) => deps.calendar.arrival(at))) calls.push(call);
  }
  return calls;
}

/** The query, parsed; a refusal names each bad field (400). */
function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success) throw invalidInput(parsed.error, 'query');
  return parsed.data;
}
