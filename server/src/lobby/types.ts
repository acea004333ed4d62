// Public types of the lobby: the contract the signalling layer codes against.
// Everything here is data; behaviour lives in Lobby.ts.
import type { AwayReason, ChosenAwayReason } from '../../../common/presence';

// The away reasons are shared with the client (a plain list, no behaviour): the lobby stays pure.
export type { AwayReason, ChosenAwayReason };

/** Milliseconds since the epoch. Injected so the lobby never reads the wall clock itself. */
export type Clock = () => number;

/** BCP-47 tag, canonicalised by the lobby (see languages.ts). Sign languages are languages: kvk, ase, jsl. */
export type LanguageTag = string;

export type CallMode = 'video' | 'text';

/** 'head': a caller whose call dropped or whose agent vanished goes before everyone of normal priority. */
export type Priority = 'normal' | 'head';

export type AgentPresence = 'offline' | 'available' | 'offered' | 'in-call' | 'wrap-up' | 'away';
export type VolunteerPresence = 'offline' | 'available' | 'invited' | 'in-call' | 'away';
export type FallbackChoice = 'wait' | 'text' | 'callback';

/** A named period of the day in `LobbyConfig.timeZone`; `end` may be '24:00'; start > end wraps midnight. */
export interface ShiftDefinition {
  name: string;
  start: string;
  end: string;
  /** Local weekdays (0 = Sunday) the shift runs on; all days when omitted. */
  days?: number[];
}

/** A volunteer's weekly availability window in `LobbyConfig.timeZone`. */
export interface WeeklyHours {
  day: number;
  start: string;
  end: string;
}

export interface LobbyConfig {
  offerTimeoutMs: number;
  maxMissedOffers: number;
  volunteerRingBatch: number;
  invitationTimeoutMs: number;
  fallbackAfterMs: number;
  bridgeLanguage: LanguageTag;
  timeZone: string;
  shifts: ShiftDefinition[];
  /** Prior for the talk time of a call until real handle times are recorded. */
  handleTimePriorMs: number;
  /** Prior for the wrap-up time after a call. */
  wrapUpPriorMs: number;
  /** Weight of the newest sample in the exponentially weighted handle-time averages. */
  handleTimeAlpha: number;
  /** Wait estimates are rounded to this step; a queue-position event is only sent when the rounded value moves. */
  estimateStepMs: number;
  /**
   * 0 (default): queue-position events are computed at the end of every call that changed something.
   * > 0: they are batched and emitted by tick() at most once per interval (for very long queues).
   */
  positionUpdateIntervalMs: number;
  /**
   * 'adaptive' (default): the estimate learns how often callers ahead hang up and counts only the
   * volunteers within their hours. 'basic': the queue alone, as before (kept to compare).
   */
  waitEstimator: WaitEstimator;
}

export type WaitEstimator = 'basic' | 'adaptive';

export type LobbyEvent =
  | { type: 'queue-position'; callerId: string; position: number; estimatedWaitMs: number | null }
  | {
      type: 'offer';
      offerId: string;
      agentId: string;
      callerId: string;
      language: LanguageTag;
      mode: CallMode;
      waitedMs: number;
      expiresAt: number;
      needsInterpreter: boolean;
      /** Present when the caller asked for a callback and may have disconnected. */
      callback?: true;
    }
  | { type: 'offer-expired'; offerId: string; agentId: string; callerId: string }
  | { type: 'offer-withdrawn'; offerId: string; agentId: string; reason: 'caller-left' | 'agent-left' }
  | { type: 'agent-away'; agentId: string; reason: 'missed-offers' }
  | {
      type: 'matched';
      matchId: string;
      callerId: string;
      agentId: string;
      language: LanguageTag;
      mode: CallMode;
      needsInterpreter: boolean;
      /** Present when the driver must call the caller back. */
      callback?: true;
    }
  | {
      type: 'invitation';
      invitationId: string;
      volunteerId: string;
      matchId: string;
      language: LanguageTag;
      expiresAt: number;
    }
  | {
      type: 'invitation-withdrawn';
      invitationId: string;
      volunteerId: string;
      reason: 'taken' | 'expired' | 'cancelled';
    }
  | { type: 'interpreter-joined'; matchId: string; volunteerId: string }
  | {
      type: 'fallback-available';
      callerId: string;
      options: FallbackChoice[];
      reason: 'long-wait' | 'no-capacity';
    }
  | { type: 'caller-left'; callerId: string; reason: 'cancelled' | 'abandoned'; waitedMs: number }
  /** The lobby is the one owner of staff presence: every change of an agent's state is told. */
  | {
      type: 'agent-presence';
      agentId: string;
      presence: AgentPresence;
      /** Why, when `presence` is 'away': the agent's choice, or 'missed-offers' when expiries set them away. */
      reason?: AwayReason;
    }
  /** A volunteer's state, or whether they are within their weekly hours (so can be rung), changed. */
  | { type: 'volunteer-presence'; volunteerId: string; presence: VolunteerPresence; withinHours: boolean };

export type LobbyEventType = LobbyEvent['type'];

export type LobbyErrorCode =
  'not-found' | 'invalid-state' | 'expired' | 'taken' | 'invalid-language' | 'invalid-argument';

export interface LobbyError {
  code: LobbyErrorCode;
  message: string;
}

export type LobbyResult<T> = { ok: true; value: T; events: LobbyEvent[] } | { ok: false; error: LobbyError };

export interface CallerView {
  position: number;
  estimatedWaitMs: number | null;
}

export interface EnqueueInput {
  callerId: string;
  language: string;
  mode: CallMode;
  priority?: Priority;
}

export interface AgentInput {
  agentId: string;
  languages: string[];
  shift?: string;
}

export interface VolunteerInput {
  volunteerId: string;
  languages: string[];
  weeklyHours: WeeklyHours[];
}

export interface LanguageCounts {
  /** Callers in line for this language (includes those being offered and callbacks). */
  waiting: number;
  /** Of which switched to (or started in) text chat. */
  text: number;
  /** Of which asked to be called back. */
  callback: number;
}

/** Aggregates for the supervisor page; cheap to compute (no scan of the queue). */
export interface LobbySnapshot {
  at: number;
  shift: string | null;
  callersWaiting: number;
  callersByLanguage: Record<LanguageTag, LanguageCounts>;
  offersPending: number;
  agentsByPresence: Record<AgentPresence, number>;
  /** Online agents (available, offered, in call, wrap-up) by shift name; '' for agents without a shift. */
  agentsOnlineByShift: Record<string, number>;
  volunteersByPresence: Record<VolunteerPresence, number>;
  /** Volunteers online and within their weekly hours. */
  volunteersOnline: number;
  activeMatches: number;
  matchesAwaitingInterpreter: number;
  /** Caller languages a volunteer could bridge right now (online, within hours). */
  bridgeableLanguages: LanguageTag[];
}

/** Full read-out, O(n); for tests, debugging and the supervisor's detail view. */
export interface LobbyInspection {
  now: number;
  queue: Array<{
    callerId: string;
    language: LanguageTag;
    mode: CallMode;
    priority: Priority;
    callback: boolean;
    arrivedAt: number;
    offerId: string | null;
  }>;
  agents: Array<{
    agentId: string;
    languages: LanguageTag[];
    shift: string | null;
    presence: AgentPresence;
    missedOffers: number;
    offerId: string | null;
    matchId: string | null;
  }>;
  volunteers: Array<{
    volunteerId: string;
    languages: LanguageTag[];
    presence: VolunteerPresence;
    withinHours: boolean;
    invitationId: string | null;
    matchId: string | null;
  }>;
  offers: Array<{
    offerId: string;
    agentId: string;
    callerId: string;
    expiresAt: number;
    needsInterpreter: boolean;
  }>;
  matches: Array<{
    matchId: string;
    callerId: string;
    agentId: string;
    language: LanguageTag;
    mode: CallMode;
    needsInterpreter: boolean;
    interpreterId: string | null;
    invitationIds: string[];
  }>;
  invitations: Array<{ invitationId: string; volunteerId: string; matchId: string; expiresAt: number }>;
}
