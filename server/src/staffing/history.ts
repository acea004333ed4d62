// Staffing from the centre's own records: the last weeks of calls, per skill group, turned into the
// agents each hour of the week and each shift needs, beside the agents rostered on it.
// Pure: the records, the accounts, the calendar and the window come in as arguments.
import type { StaffingHour, StaffingResponse, StaffingShift } from '../../../common/staffing';
import { parseClockTime, type ShiftDefinition, ZonedCalendar } from '../lobby';
import type { Account, CallRecord } from '../store';
import type { Target } from './agentsNeeded';
import { shiftPlan, type ShiftPlan, type ShiftPlanInput } from './shiftPlan';
import {
  groupHistories,
  planGroups,
  SKILL_GROUPS,
  type GroupHistory,
  type ObservedCall,
} from './skillGroups';

export const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const MINUTES_PER_HOUR = 60;

/** The last `weeks` whole weeks up to `now`: every hour of the week falls in it exactly `weeks` times. */
export function historyWindow(now: number, weeks: number): { from: number; to: number } {
  return { from: now - weeks * WEEK_MS, to: now };
}

/**
 * What one record tells the history. Handle time: answered → ended of a completed call (one that
 * failed, or whose caller never came, held its agent for a reason that is not demand). Patience: a
 * caller who hung up unanswered shows it was his wait; an answered one, only that it was longer than
 * his wait (censored); a call still open or cut by the service unanswered shows nothing yet.
 */
export function observedFromRecord(r: CallRecord): ObservedCall {
  const handledMs =
    r.outcome === 'completed' && r.answeredAt !== null && r.endedAt !== null && r.endedAt > r.answeredAt
      ? r.endedAt - r.answeredAt
      : null;
  let patience: ObservedCall['patience'] = null;
  if (r.answeredAt !== null) {
    patience = { waitedS: Math.max(0, r.answeredAt - r.startedAt) / 1000, abandoned: false };
  } else if (r.outcome === 'abandoned' && r.endedAt !== null) {
    patience = { waitedS: Math.max(0, r.waitedMs ?? r.endedAt - r.startedAt) / 1000, abandoned: true };
  }
  return { language: r.callerLanguage, arrivedAt: r.startedAt, handledMs, patience };
}

/**
 * The hours of the day a calendar shift covers, in order from its start (an hour it covers only in
 * part counts: someone must be there), with its weekdays when it is a weekly roster.
 */
export function shiftHours(def: ShiftDefinition): ShiftPlanInput['shifts'][number] {
  const start = parseClockTime(def.start, false);
  const end = parseClockTime(def.end, true);
  if (start === null || end === null) throw new RangeError(`shift '${def.name}' needs 'HH:MM' start and end`);
  const first = Math.floor(start / MINUTES_PER_HOUR);
  const last = Math.ceil(end / MINUTES_PER_HOUR); // exclusive
  const count = start < end ? last - first : 24 - first + last;
  const hours = Array.from({ length: Math.min(24, count) }, (_, i) => (first + i) % 24);
  return { name: def.name, hours, ...(def.days !== undefined && { days: [...def.days] }) };
}

/** Agents on each shift of the calendar: enabled agent accounts naming it (others name none or a gone one). */
export function rosteredByShift(
  accounts: readonly Pick<Account, 'role' | 'disabled' | 'shift'>[],
  shifts: readonly ShiftDefinition[],
): Record<string, number> {
  const rostered = Object.fromEntries(shifts.map((s) => [s.name, 0]));
  for (const a of accounts) {
    if (a.role === 'agent' && !a.disabled && a.shift !== null && Object.hasOwn(rostered, a.shift)) {
      rostered[a.shift]! += 1;
    }
  }
  return rostered;
}

export interface StaffingHistoryInput {
  /** The calls of the window (others are left out). */
  records: readonly CallRecord[];
  /** The window: `weeks` whole weeks (see historyWindow). */
  from: number;
  to: number;
  weeks: number;
  target: Target;
  /** The centre's zone, in which weekdays, hours and shifts are read. */
  timeZone: string;
  shifts: readonly ShiftDefinition[];
  /** Every staff account (only enabled agents are counted on the roster). */
  accounts: readonly Pick<Account, 'role' | 'disabled' | 'shift'>[];
}

/**
 * Per skill group, arrivals by weekday and hour (a mean per week), handle time and patience; from
 * those, the agents each hour of the week needs (every group its own queue, their needs added: see
 * shiftPlan) by Erlang C and by Erlang A with the fitted patience, and each shift its busiest hour.
 * @throws UnreachableTargetError when no staffing meets the target (a target far too close to 100 %).
 */
export function staffingFromHistory(input: StaffingHistoryInput): StaffingResponse {
  const { from, to, weeks, target } = input;
  const calendar = new ZonedCalendar(input.timeZone);
  const records = input.records.filter((r) => r.startedAt >= from && r.startedAt < to);
  const history = groupHistories(records.map(observedFromRecord), {
    count: 168,
    slotOf: (at) => Math.floor(calendar.minuteOfWeek(at) / MINUTES_PER_HOUR),
    periods: weeks,
  });
  const withPatience = SKILL_GROUPS.some((g) => history[g].patienceS !== null);
  const plan = (patience: boolean): ShiftPlan =>
    shiftPlan({
      groups: planGroups(history, { withPatience: patience }),
      target,
      shifts: input.shifts.map(shiftHours),
    });
  const byErlangC = plan(false);
  const byErlangA = withPatience ? plan(true) : null;
  const rostered = rosteredByShift(input.accounts, input.shifts);

  return {
    from,
    to,
    weeks,
    target: { share: target.serviceLevel, seconds: target.thresholdS },
    groups: SKILL_GROUPS.map((key) => ({
      key,
      calls: history[key].calls,
      ahtS: history[key].ahtS,
      patienceS: history[key].patienceS,
    })),
    hours: byErlangC.hours.map(({ day, hour, agents }, i): StaffingHour => ({
      weekday: day,
      hour,
      arrivalsPerHour: arrivalsAt(history, day * 24 + hour),
      erlangC: agents,
      erlangA: byErlangA?.hours[i]!.agents ?? null,
    })),
    shifts: byErlangC.shifts.map((need, i): StaffingShift => {
      const erlangA = byErlangA?.shifts[i]!.agents ?? null;
      return {
        shift: need.name,
        needed: erlangA ?? need.agents,
        erlangC: need.agents,
        erlangA,
        rostered: rostered[need.name] ?? 0,
      };
    }),
  };
}

function arrivalsAt(history: Record<string, GroupHistory>, slot: number): number {
  return Object.values(history).reduce((sum, g) => sum + g.arrivals[slot]!, 0);
}
