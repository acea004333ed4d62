// What a history of calls says per skill group — arrivals per hour slot, handle time, patience — and
// the shift plan's groups made from it. Shared by the centre's records (history.ts) and the
// simulator's (scripts/simulate/recommend.ts), so both plan from the same arithmetic.
import { STAFFING_GROUPS, type StaffingGroupKey } from '../../../common/staffing';
import { DEFAULT_CONFIG } from '../lobby';
import { fitPatience, type PatienceObservation } from './patience';
import type { ShiftPlanInput } from './shiftPlan';

/** Who can serve a caller, as a centre staffs its queues: Korean, Korean Sign Language, or via an interpreter. */
export const SKILL_GROUPS = STAFFING_GROUPS;
export type SkillGroup = StaffingGroupKey;

export function skillGroupOf(language: string): SkillGroup {
  return language === 'ko' || language === 'kvk' ? language : 'interpreted';
}

/** One call as the history reads it, whoever kept it. */
export interface ObservedCall {
  language: string;
  arrivedAt: number;
  /** How long an agent was held by the call (answer to end), ms; null when no agent handled it. */
  handledMs: number | null;
  /** What the call shows of the caller's patience (see fitPatience); null when it shows nothing. */
  patience: PatienceObservation | null;
}

/** How arrivals are counted: into `count` slots (24 hours of a day, or 7 × 24 of a week), over `periods` days or weeks. */
export interface SlotScheme {
  count: 24 | 168;
  slotOf: (at: number) => number;
  /** How many days (24 slots) or weeks (168) the history covers: arrivals are a mean over them. */
  periods: number;
}

export interface GroupHistory {
  calls: number;
  /** Mean arrivals in each slot (per day or per week, see SlotScheme). */
  arrivals: number[];
  /** Mean handle time of the calls an agent handled, seconds; null when none was. */
  ahtS: number | null;
  /** Mean patience fitted to the hang-ups (fitPatience); null when nobody hung up. */
  patienceS: number | null;
  /** Calls an agent handled (the AHT's sample). */
  answered: number;
  /** Callers who hung up while waiting (the patience fit's events). */
  abandoned: number;
}

export function groupHistories(
  calls: readonly ObservedCall[],
  slots: SlotScheme,
): Record<SkillGroup, GroupHistory> {
  if (!(slots.periods > 0)) throw new RangeError(`slots.periods must be > 0, got ${slots.periods}`);
  const out = {} as Record<SkillGroup, GroupHistory>;
  for (const group of SKILL_GROUPS) {
    const mine = calls.filter((c) => skillGroupOf(c.language) === group);
    const arrivals = Array.from({ length: slots.count }, () => 0);
    for (const c of mine) arrivals[slots.slotOf(c.arrivedAt)]! += 1;
    const handled = mine.flatMap((c) => (c.handledMs === null ? [] : [c.handledMs]));
    const observations = mine.flatMap((c) => (c.patience === null ? [] : [c.patience]));
    out[group] = {
      calls: mine.length,
      arrivals: arrivals.map((n) => n / slots.periods),
      ahtS: handled.length === 0 ? null : handled.reduce((s, ms) => s + ms, 0) / 1000 / handled.length,
      patienceS: fitPatience(observations)?.meanPatienceS ?? null,
      answered: handled.length,
      abandoned: observations.filter((o) => o.abandoned).length,
    };
  }
  return out;
}

/** The handle time assumed when no call at all was handled: the lobby's own prior (5 minutes). */
export const FALLBACK_AHT_S = DEFAULT_CONFIG.handleTimePriorMs / 1000;

/**
 * The shift plan's skill groups. A group nobody handled takes the handle time of all groups together
 * (FALLBACK_AHT_S when no call was handled at all): its arrivals still need agents. Without
 * `withPatience`, or without a fit, a group is planned by Erlang C.
 */
export function planGroups(
  history: Record<SkillGroup, GroupHistory>,
  options: { withPatience: boolean },
): ShiftPlanInput['groups'] {
  const all = Object.values(history);
  const answered = all.reduce((n, g) => n + g.answered, 0);
  const pooledAhtS =
    answered === 0 ? FALLBACK_AHT_S : all.reduce((s, g) => s + (g.ahtS ?? 0) * g.answered, 0) / answered;
  return Object.fromEntries(
    SKILL_GROUPS.map((name) => {
      const g = history[name];
      const arrivalsPerHour =
        g.arrivals.length === 24
          ? g.arrivals
          : Array.from({ length: 7 }, (_, day) => g.arrivals.slice(day * 24, day * 24 + 24));
      const patience = options.withPatience && g.patienceS !== null ? { patienceS: g.patienceS } : {};
      return [name, { arrivalsPerHour, ahtS: g.ahtS ?? pooledAhtS, ...patience }];
    }),
  );
}
