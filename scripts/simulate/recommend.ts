// The staffing loop closed: a simulated history, the agents the staffing formulas recommend from it
// (per hour, skill group and shift, Erlang A with the patience fitted to the hang-ups observed),
// and the same scenario simulated again with that staffing, to see whether it reaches its target.
import { shiftPlan, type ShiftNeed, type ShiftPlanInput, type Target } from '../../server/src/staffing/plan';
import {
  groupHistories,
  planGroups,
  SKILL_GROUPS,
  type GroupHistory,
  type ObservedCall,
  type SkillGroup,
} from '../../server/src/staffing/skillGroups';
import type { CallRecord, SimulationResult } from './engine';
import { simulate } from './engine';
import { DAY_START, HOUR } from './scenario';
import type { Scenario, ShiftSpec } from './scenarioSchema';
import { simulateWithStaffing, type StaffingOverride } from './staffing';

export { skillGroupOf, type GroupHistory, type SkillGroup } from '../../server/src/staffing/skillGroups';

/**
 * What a centre's records would say, per skill group: arrivals by hour of the day (a mean per
 * simulated day), handle time and patience. Handle time runs from the answer to the end of the
 * wrap-up. Patience is fitted to the hang-ups (fitPatience: answered callers count as having waited
 * at least as long as they did); callers who took a fallback (text, callback) left the live line by
 * choice and are left out of it.
 */
export function historyOf(result: SimulationResult): Record<SkillGroup, GroupHistory> {
  return groupHistories(result.calls.map(observed), {
    count: 24,
    slotOf: hourOfDay,
    periods: result.days,
  });
}

function observed(c: CallRecord): ObservedCall {
  const handled = c.matchedAt !== null && c.handledUntil !== null && c.fallback !== 'callback';
  const live = c.fallback === null || c.fallback === 'wait';
  const end = c.matchedAt ?? c.leftAt;
  return {
    language: c.language,
    arrivedAt: c.arrivedAt,
    handledMs: handled ? c.handledUntil! - c.matchedAt! : null,
    patience:
      live && end !== null ? { waitedS: (end - c.arrivedAt) / 1000, abandoned: c.matchedAt === null } : null,
  };
}

function hourOfDay(at: number): number {
  return Math.floor((at - DAY_START) / HOUR) % 24;
}

/** The hours of the day a shift covers (an end past 24 runs into the next morning). */
function hoursOf(shift: ShiftSpec): number[] {
  const hours: number[] = [];
  for (const [start, end] of shift.hours)
    for (let h = Math.floor(start); h < Math.ceil(end); h++) if (!hours.includes(h % 24)) hours.push(h % 24);
  return hours;
}

const headCount = (shift: ShiftSpec) => shift.agents.reduce((n, g) => n + g.count, 0);

export interface Recommendation {
  history: Record<SkillGroup, GroupHistory>;
  shifts: Array<ShiftNeed & { byGroup: Record<SkillGroup, number> }>;
  staffing: StaffingOverride;
}

/**
 * Agents per shift for the target. Each skill group is its own queue (signing agents for kvk, any
 * agent for ko and for the other languages, with an interpreter where needed); a shift needs its
 * busiest hour. The staffing keeps the scenario's speakers of other languages, sets the signing
 * agents to the kvk queue's need and fills the rest with generalists.
 */
export function recommend(result: SimulationResult, target: Target): Recommendation {
  const history = historyOf(result);
  const input: ShiftPlanInput = {
    groups: planGroups(history, { withPatience: true }),
    target,
    shifts: result.scenario.shifts.map((s) => ({ name: s.name, hours: hoursOf(s) })),
    rostered: Object.fromEntries(result.scenario.shifts.map((s) => [s.name, headCount(s)])),
  };
  const plan = shiftPlan(input);
  // Each group's own busiest hour in the shift: the signers the kvk queue needs at its peak.
  const shifts = plan.shifts.map((need) => {
    const hours = plan.hours.filter((h) => need.hours.includes(h.hour));
    const byGroup = Object.fromEntries(
      SKILL_GROUPS.map((g) => [g, Math.max(0, ...hours.map((h) => h.byGroup[g]?.agents ?? 0))]),
    ) as Record<SkillGroup, number>;
    return { ...need, byGroup };
  });
  const staffing: Record<string, ShiftSpec['agents']> = {};
  for (const shift of result.scenario.shifts) {
    const need = shifts.find((s) => s.name === shift.name);
    if (need === undefined) continue;
    const speakers = shift.agents.filter((g) => !g.languages.includes('kvk') && g.languages.length > 1);
    const signers = need.byGroup.kvk;
    const generalists = Math.max(0, need.agents - signers - speakers.reduce((n, g) => n + g.count, 0));
    staffing[shift.name] = [
      { languages: ['ko', 'kvk'], count: signers },
      ...speakers.map((g) => ({ ...g })),
      { languages: ['ko'], count: generalists },
    ];
  }
  return { history, shifts, staffing };
}

export interface ShiftCheck {
  name: string;
  rostered: number;
  recommended: number;
  /** Answered live within the threshold, over every call that arrived in the shift. */
  serviceLevelRostered: number;
  serviceLevelRecommended: number;
  calls: number;
}

export interface RecommendationCheck {
  target: Target;
  tolerancePoints: number;
  recommendation: Recommendation;
  shifts: ShiftCheck[];
  /** Every shift with the recommended staffing within `tolerancePoints` below the target, or above. */
  met: boolean;
}

/**
 * Recommends from one run (`seed`) and checks the recommendation on another run of the same scenario
 * (`seed + 1`), beside the scenario's own roster on that run: fresh draws, so the check does not
 * grade the formulas on the history they were fitted to.
 */
export function checkRecommendation(options: {
  seed: number;
  days: number;
  scenario: Scenario;
  target: Target;
  tolerancePoints?: number;
}): RecommendationCheck {
  const { seed, days, scenario, target } = options;
  const tolerancePoints = options.tolerancePoints ?? 5;
  const recommendation = recommend(simulate({ seed, days, scenario }), target);
  const rostered = simulate({ seed: seed + 1, days, scenario });
  const recommended = simulateWithStaffing({ seed: seed + 1, days, scenario }, recommendation.staffing);
  const shifts = scenario.shifts.map((s) => {
    const need = recommendation.shifts.find((n) => n.name === s.name);
    return {
      name: s.name,
      rostered: headCount(s),
      recommended: need?.agents ?? headCount(s),
      serviceLevelRostered: serviceLevel(rostered, s.name, target.thresholdS),
      serviceLevelRecommended: serviceLevel(recommended, s.name, target.thresholdS),
      calls: recommended.calls.filter((c) => c.shift === s.name).length,
    };
  });
  const floor = target.serviceLevel - tolerancePoints / 100;
  return {
    target,
    tolerancePoints,
    recommendation,
    shifts,
    met: shifts.every((s) => s.serviceLevelRecommended >= floor),
  };
}

/** As the simulator's report counts it: answered live within T, over every call of the shift. */
function serviceLevel(result: SimulationResult, shift: string, thresholdS: number): number {
  const calls = result.calls.filter((c) => c.shift === shift);
  const within = calls.filter(
    (c) =>
      c.matchedAt !== null && c.fallback !== 'callback' && c.matchedAt - c.arrivedAt <= thresholdS * 1000,
  );
  return calls.length === 0 ? 1 : within.length / calls.length;
}
