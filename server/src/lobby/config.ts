// Defaults and validation of LobbyConfig. A bad config is a programming error, so it throws.
import { ZonedCalendar } from './calendar';
import { canonicalLanguage } from './languages';
import { DEFAULT_SHIFTS, ShiftCalendar } from './shifts';
import type { LobbyConfig } from './types';

export const DEFAULT_CONFIG: Readonly<LobbyConfig> = Object.freeze({
  // Below the 20 s service-level threshold, so one missed offer need not fail it (docs/offer-policy.md).
  offerTimeoutMs: 12_000,
  maxMissedOffers: 3,
  volunteerRingBatch: 3,
  invitationTimeoutMs: 30_000,
  fallbackAfterMs: 180_000,
  bridgeLanguage: 'ko',
  timeZone: 'Asia/Seoul',
  shifts: DEFAULT_SHIFTS.map((s) => ({ ...s })),
  handleTimePriorMs: 300_000,
  wrapUpPriorMs: 30_000,
  handleTimeAlpha: 0.1,
  estimateStepMs: 30_000,
  positionUpdateIntervalMs: 0,
  waitEstimator: 'adaptive',
});

export interface ResolvedConfig {
  config: LobbyConfig;
  calendar: ZonedCalendar;
  shifts: ShiftCalendar;
}

export function resolveConfig(partial: Partial<LobbyConfig>): ResolvedConfig {
  const config: LobbyConfig = {
    ...DEFAULT_CONFIG,
    ...partial,
    shifts: partial.shifts ?? DEFAULT_CONFIG.shifts,
  };
  const positive = ['offerTimeoutMs', 'invitationTimeoutMs', 'fallbackAfterMs', 'handleTimePriorMs'] as const;
  for (const k of positive) {
    if (!Number.isFinite(config[k]) || config[k] <= 0) throw new RangeError(`lobby config: ${k} must be > 0`);
  }
  const nonNegative = ['wrapUpPriorMs', 'estimateStepMs', 'positionUpdateIntervalMs'] as const;
  for (const k of nonNegative) {
    if (!Number.isFinite(config[k]) || config[k] < 0) throw new RangeError(`lobby config: ${k} must be >= 0`);
  }
  for (const k of ['maxMissedOffers', 'volunteerRingBatch'] as const) {
    if (!Number.isInteger(config[k]) || config[k] < 1)
      throw new RangeError(`lobby config: ${k} must be an integer >= 1`);
  }
  if (!(config.handleTimeAlpha > 0 && config.handleTimeAlpha <= 1)) {
    throw new RangeError('lobby config: handleTimeAlpha must be in (0, 1]');
  }
  if (config.waitEstimator !== 'basic' && config.waitEstimator !== 'adaptive') {
    throw new RangeError("lobby config: waitEstimator must be 'basic' or 'adaptive'");
  }
  const bridge = canonicalLanguage(config.bridgeLanguage);
  if (bridge === null)
    throw new RangeError(`lobby config: invalid bridgeLanguage '${config.bridgeLanguage}'`);
  config.bridgeLanguage = bridge;
  let calendar: ZonedCalendar;
  try {
    calendar = new ZonedCalendar(config.timeZone);
  } catch {
    throw new RangeError(`lobby config: unknown timeZone '${config.timeZone}'`);
  }
  const shifts = ShiftCalendar.parse(config.shifts);
  if (!shifts.ok) throw new RangeError(`lobby config: ${shifts.message}`);
  config.shifts = config.shifts.map((s) => ({ ...s }));
  return { config, calendar, shifts: shifts.calendar };
}
