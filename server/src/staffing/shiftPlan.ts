// Agents per hour and per shift, from the calls each skill group is offered over the day (or week).
import { z } from 'zod';
import { agentsNeeded, type QueueModel, type Staffing } from './agentsNeeded';

const HOURS_PER_DAY = 24;

const Arrivals = z.array(z.number().min(0, { message: 'calls per hour must be ≥ 0' }));
const DayProfile = Arrivals.length(HOURS_PER_DAY, { message: 'needs 24 numbers, one per hour 0..23' });

const SkillGroupSchema = z.object({
  /** Calls offered per hour: 24 numbers (every day alike) or 7 rows of 24 (day × hour; the week wraps, day 6 runs into day 0). */
  arrivalsPerHour: z.union(
    [DayProfile, z.array(DayProfile).length(7, { message: 'needs 7 days of 24 hours' })],
    {
      message: 'must be 24 numbers (one per hour) or 7 rows of 24 (weekday × hour)',
    },
  ),
  ahtS: z.number().positive({ message: 'average handle time must be > 0 seconds' }),
  /** Callers' mean patience (see fitPatience); without it the group is planned by Erlang C. */
  patienceS: z.number().positive({ message: 'patience must be > 0 seconds' }).optional(),
});

const ShiftSchema = z.object({
  name: z.string().min(1, { message: 'a shift needs a name' }),
  /** Hours of the day the shift covers, in order; hours before its first one fall on the next day. */
  hours: z
    .array(z.number().int().min(0).max(23, { message: 'hours are 0..23' }))
    .min(1, { message: 'a shift covers at least one hour' })
    .refine((hours) => new Set(hours).size === hours.length, { message: 'an hour is listed twice' }),
  /**
   * A weekly roster (the SHIFTS calendar's `@days`): the days of a 7-day input the shift runs on, each
   * of its hours taken on that day itself, as the calendar reads it. Absent: every day.
   */
  days: z
    .array(z.number().int().min(0).max(6, { message: 'days are 0..6' }))
    .min(1, { message: 'a shift runs on at least one day' })
    .optional(),
});

/** Input of shiftPlan, also the schema to parse a plan file with. */
export const ShiftPlanInputSchema = z
  .object({
    groups: z
      .record(z.string().min(1), SkillGroupSchema)
      .refine((groups) => Object.keys(groups).length > 0, { message: 'needs at least one skill group' }),
    target: z.object({
      serviceLevel: z.number().gt(0).lt(1, { message: 'a share strictly between 0 and 1, e.g. 0.8' }),
      thresholdS: z.number().min(0, { message: 'seconds, ≥ 0' }),
      abandonsWithinThreshold: z.enum(['missed', 'met']).optional(),
    }),
    shifts: z
      .array(ShiftSchema)
      .min(1, { message: 'needs at least one shift' })
      .refine((shifts) => new Set(shifts.map((s) => s.name)).size === shifts.length, {
        message: 'shift names must be unique',
      }),
    /** Agents rostered per shift name, to compare with the need. */
    rostered: z.record(z.string(), z.number().int().min(0)).optional(),
  })
  .superRefine((input, ctx) => {
    const names = new Set(input.shifts.map((s) => s.name));
    for (const name of Object.keys(input.rostered ?? {})) {
      if (!names.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['rostered', name], message: 'no shift has this name' });
      }
    }
  });

export type ShiftPlanInput = z.input<typeof ShiftPlanInputSchema>;

export interface HourNeed {
  /** Day index of the input (always 0 for a 24-hour profile). */
  day: number;
  hour: number;
  byGroup: Record<string, Staffing>;
  /** Agents for the hour: the skill groups' needs added. */
  agents: number;
}

export interface ShiftNeed {
  name: string;
  hours: number[];
  /** What the shift needs: its busiest hour over every day. */
  agents: number;
  /** Where that busiest hour is (the day the shift starts on, and the hour). */
  peak: { day: number; hour: number };
  /** The need of the shift starting on each day (one entry for a 24-hour profile; 0 on a roster's days off). */
  byDay: number[];
  rostered?: number;
  /** rostered − agents: negative when the roster is short. */
  surplus?: number;
}

export interface ShiftPlan {
  /** 1 for a 24-hour profile, 7 when any group gives weekday × hour. */
  days: number;
  hours: HourNeed[];
  shifts: ShiftNeed[];
  /** Hours that are offered calls but that no shift covers. */
  uncovered: Array<{ day: number; hour: number }>;
}

export class ShiftPlanInputError extends Error {
  override name = 'ShiftPlanInputError';
}

/**
 * Agents needed per hour, per skill group and per shift.
 *
 * Each skill group (e.g. 'ko', 'kvk', 'interpreted') is staffed as a queue of its own and their needs are
 * added. That is conservative: agents with several languages can pool, and pooled queues need fewer
 * agents than separate ones, so the true need lies between this and one pooled queue.
 *
 * A shift needs the maximum over its hours of that sum: each shift is sized to carry its hours alone,
 * so where two shifts overlap their needs are not shared out. A shift whose hours run past midnight
 * (e.g. [22, 23, 0, 1]) takes the hours before its first one from the next day (Sunday's from Monday's).
 */
export function shiftPlan(input: ShiftPlanInput): ShiftPlan {
  const parsed = ShiftPlanInputSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(input)'}: ${i.message}`);
    throw new ShiftPlanInputError(`Invalid shift plan input:\n${lines.join('\n')}`);
  }
  const { groups, target, shifts, rostered } = parsed.data;
  const groupEntries = Object.entries(groups);
  const days = groupEntries.some(([, g]) => isWeek(g.arrivalsPerHour)) ? 7 : 1;

  const hours: HourNeed[] = [];
  for (let day = 0; day < days; day++) {
    for (let hour = 0; hour < HOURS_PER_DAY; hour++) {
      const byGroup: Record<string, Staffing> = {};
      let agents = 0;
      for (const [name, group] of groupEntries) {
        const model: QueueModel = group.patienceS === undefined ? 'erlang-c' : { patienceS: group.patienceS };
        const load = { ratePerHour: arrivalsAt(group.arrivalsPerHour, day, hour), ahtS: group.ahtS };
        byGroup[name] = agentsNeeded(load, target, model);
        agents += byGroup[name].agents;
      }
      hours.push({ day, hour, byGroup, agents });
    }
  }
  const at = (day: number, hour: number): HourNeed => hours[(day % days) * HOURS_PER_DAY + hour]!;

  // The day an hour of the shift starting on `day` falls on: the next one past midnight, unless the
  // shift is a weekly roster (which the calendar reads day by day); null when the shift is off that day.
  const dayOf = (shift: (typeof shifts)[number], day: number, hour: number): number | null => {
    if (shift.days !== undefined && days === 7) return shift.days.includes(day) ? day : null;
    return hour < shift.hours[0]! ? day + 1 : day;
  };

  const shiftNeeds = shifts.map((shift): ShiftNeed => {
    const { name, hours: shiftHours } = shift;
    const first = shiftHours[0]!;
    const byDay: number[] = [];
    let peak = { day: 0, hour: first };
    let most = -1;
    for (let day = 0; day < days; day++) {
      let dayNeed = 0;
      for (const hour of shiftHours) {
        const on = dayOf(shift, day, hour);
        if (on === null) continue;
        const need = at(on, hour).agents;
        dayNeed = Math.max(dayNeed, need);
        if (need > most) {
          most = need;
          peak = { day, hour };
        }
      }
      byDay.push(dayNeed);
    }
    const agents = Math.max(...byDay);
    const onRoster = rostered?.[name];
    return onRoster === undefined
      ? { name, hours: shiftHours, agents, peak, byDay }
      : { name, hours: shiftHours, agents, peak, byDay, rostered: onRoster, surplus: onRoster - agents };
  });

  const covered = new Set<number>();
  for (const shift of shifts) {
    for (let day = 0; day < days; day++) {
      for (const hour of shift.hours) {
        const on = dayOf(shift, day, hour);
        if (on !== null) covered.add((on % days) * HOURS_PER_DAY + hour);
      }
    }
  }
  const uncovered = hours
    .filter((h, i) => !covered.has(i) && Object.values(h.byGroup).some((s) => s.erlangs > 0))
    .map(({ day, hour }) => ({ day, hour }));

  return { days, hours, shifts: shiftNeeds, uncovered };
}

function isWeek(arrivals: number[] | number[][]): arrivals is number[][] {
  return Array.isArray(arrivals[0]);
}

function arrivalsAt(arrivals: number[] | number[][], day: number, hour: number): number {
  return isWeek(arrivals) ? arrivals[day]![hour]! : arrivals[hour]!;
}
