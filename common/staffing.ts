// GET /api/supervisor/staffing: the agents each shift needs, computed from the last weeks of calls,
// beside the agents rostered on it. Shared by the server's route and the supervisor page.

export const STAFFING_GROUPS = ['ko', 'kvk', 'interpreted'] as const;
export type StaffingGroupKey = (typeof STAFFING_GROUPS)[number];

export interface StaffingGroup {
  key: StaffingGroupKey;
  /** Calls that arrived in the window. */
  calls: number;
  /** Mean handle time (answered → ended) of the completed calls, seconds; null when none. */
  ahtS: number | null;
  /** Mean patience fitted to the hang-ups, seconds; null when nobody hung up while waiting. */
  patienceS: number | null;
}

export interface StaffingHour {
  /** Local weekday in the centre's zone, 0 = Sunday. */
  weekday: number;
  hour: number;
  /** Mean arrivals in this hour of the week, per week, all groups together. */
  arrivalsPerHour: number;
  /** Agents needed, every group a queue of its own, added: by Erlang C. */
  erlangC: number;
  /** The same by Erlang A with each group's fitted patience; null when no group has one. */
  erlangA: number | null;
}

export interface StaffingShift {
  shift: string;
  /** What to staff: Erlang A where patience was fitted, else Erlang C (= erlangA ?? erlangC). */
  needed: number;
  erlangC: number;
  erlangA: number | null;
  /** Enabled agent accounts on this shift. */
  rostered: number;
}

export interface StaffingResponse {
  from: number;
  to: number;
  weeks: number;
  target: { share: number; seconds: number };
  groups: StaffingGroup[];
  hours: StaffingHour[];
  shifts: StaffingShift[];
}
