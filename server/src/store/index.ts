export { openStore, type Store, type StoreOptions } from './openStore';
export { describeStoreLocation, isPostgresUrl, type StoreLocation } from './location';
export type { Account, AccountRepository, NewAccount } from './accounts';
export type { CallRecord, CallRepository, WrapUp } from './calls';
export type { PresenceInterval, PresenceRepository, PresenceTotal } from './presenceIntervals';
export type { PresenceChange, PresenceWrites, StaffRole, StaffState } from './presenceOps';
export type {
  CallHistory,
  CallListFilter,
  CallListItem,
  InvitationCount,
  LedgerEventFacts,
} from './callHistory';
export type { CallEvent, CallEventType, EndedBy, StoredCallEvent } from './callEvents';
export type {
  LanguageLevel,
  VolunteerLanguage,
  VolunteerProfile,
  VolunteerProfileInput,
  VolunteerProfileRepository,
  VolunteerRegistration,
  WeeklyHours,
} from './volunteerProfiles';
export { ACCOUNT_ROLES, CALL_OUTCOMES, type AccountRole, type CallOutcome } from './schema';
export {
  DatabaseFileError,
  DatabaseUnreachableError,
  DuplicateUsernameError,
  NotFoundError,
  StoreError,
  ValidationError,
  type ValidationIssue,
} from './errors';
