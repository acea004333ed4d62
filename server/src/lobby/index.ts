// Public surface of the lobby module. Nothing outside this folder should import its internals.
export { Lobby } from './Lobby';
export { applyCommand, LOBBY_COMMANDS } from './commands';
export type { CommandValue, LobbyCommand, LobbyCommandName } from './commands';
export { DEFAULT_CONFIG } from './config';
export { parseClockTime, ZonedCalendar } from './calendar';
export { LOBBY_SNAPSHOT_VERSION } from './snapshot';
export type { LobbyStateSnapshot } from './snapshot';
export { DEFAULT_SHIFTS, formatShift, formatWeekdays, parseShiftSpec, SHIFT_NAME } from './shifts';
export { canonicalLanguage, serves as languageServes } from './languages';
export type {
  AgentInput,
  AgentPresence,
  AwayReason,
  CallerView,
  ChosenAwayReason,
  CallMode,
  Clock,
  EnqueueInput,
  FallbackChoice,
  LanguageCounts,
  LanguageTag,
  LobbyConfig,
  LobbyError,
  LobbyErrorCode,
  LobbyEvent,
  LobbyEventType,
  LobbyInspection,
  LobbyResult,
  LobbySnapshot,
  Priority,
  ShiftDefinition,
  VolunteerInput,
  VolunteerPresence,
  WaitEstimator,
  WeeklyHours,
} from './types';
