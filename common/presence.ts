// Why a member of staff is away: one list for the agent page's picker, the socket message's schema,
// the lobby's records and the supervisor's time-away figures. Free of zod and Node, like errors.ts.

/** Reasons an agent picks when going away (the order the picker shows them in). */
export const AWAY_REASONS = ['break', 'meal', 'training', 'meeting', 'after-difficult-call'] as const;
export type ChosenAwayReason = (typeof AWAY_REASONS)[number];

/** Reasons only the system sets: the lobby sets an agent away after too many missed offers in a row. */
export const SYSTEM_AWAY_REASONS = ['missed-offers'] as const;
export type SystemAwayReason = (typeof SYSTEM_AWAY_REASONS)[number];

export type AwayReason = ChosenAwayReason | SystemAwayReason;

/** Every reason an away interval can carry, chosen ones first. */
export const ALL_AWAY_REASONS: readonly AwayReason[] = [...AWAY_REASONS, ...SYSTEM_AWAY_REASONS];

export function isChosenAwayReason(value: unknown): value is ChosenAwayReason {
  return (AWAY_REASONS as readonly unknown[]).includes(value);
}

export function isAwayReason(value: unknown): value is AwayReason {
  return (ALL_AWAY_REASONS as readonly unknown[]).includes(value);
}

/** A share with its sample: `value` in 0..1 (null when `n` is 0); `n` is the denominator. */
export interface Rate {
  value: number | null;
  n: number;
}

/** One member of staff over a range (GET /api/supervisor/presence). Times in ms. */
export interface StaffPresence {
  accountId: string;
  name: string;
  role: 'agent' | 'volunteer';
  msByState: Record<string, number>;
  awayByReason: Record<string, number>;
  /** Time busy over time staffed; `n` is the time staffed, in ms. */
  occupancy: Rate;
}

/** GET /api/supervisor/presence: time away per reason and occupancy, for all staff and each. */
export interface PresenceResponse {
  from: number;
  to: number;
  awayByReason: { reason: string; ms: number; intervals: number }[];
  staff: StaffPresence[];
  /** All agents together. */
  occupancy: Rate;
}
