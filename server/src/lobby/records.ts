// Internal mutable records. Never handed out: the public API returns ids and plain event objects.
import type { MinuteRange } from './calendar';
import type { OrderedIndex } from './ordered';
import type { AgentPresence, AwayReason, CallMode, LanguageTag, Priority, VolunteerPresence } from './types';

/** Callers who need the same people: same canonical language and mode (all text callers form one class). */
export interface CallerClass {
  key: string;
  mode: CallMode;
  /** null for the text class, which any agent serves. */
  language: LanguageTag | null;
  /** Every staff tag that serves this language directly (see languages.ts). */
  prefixes: LanguageTag[];
  /** Everyone in line, by (priority, arrival): positions are ranks here. */
  line: OrderedIndex<CallerRec>;
  /** Those in line without a pending offer: matching takes the minimum here. */
  ready: OrderedIndex<CallerRec>;
  /** A volunteer serving the language is free and not yet spoken for, so a bridged call can start. */
  bridgeReady: boolean;
  /** A volunteer serving the language is online within hours (possibly busy): bridging is possible at all. */
  bridgeCapable: boolean;
  /** Whether anyone eligible was online at the last check, to notice a drop to zero. */
  hadCapacity: boolean;
  /** Derived by competition.ts; valid while its version matches. */
  competitors: CallerClass[];
  directSigs: AgentSig[];
  bridgeSigs: AgentSig[];
  regionSigs: AgentSig[];
}

export interface CallerRec {
  id: string;
  language: LanguageTag;
  mode: CallMode;
  priority: Priority;
  /** Arrival order, kept across a requeue so the caller keeps their original place among 'head' callers. */
  seq: number;
  /** Ordering key (priority first, then seq). */
  key: number;
  arrivedAt: number;
  cls: CallerClass;
  callback: boolean;
  offer: OfferRec | null;
  longWaitOffered: boolean;
  /** Which long-wait deadline is the current one: a requeue schedules another, and the old stays dead. */
  longWaitToken: number;
  noCapacityOffered: boolean;
  /** Last values sent in a queue-position event (or returned by enqueue), to avoid repeating them. */
  shownPosition: number;
  shownEstimate: number | null;
}

/** Agents with the same language set, counted together (few distinct sets exist in practice). */
export interface AgentSig {
  key: string;
  index: number;
  tags: LanguageTag[];
  speaksBridge: boolean;
  online: number;
}

export interface AgentRec {
  id: string;
  tags: LanguageTag[];
  shift: string | null;
  presence: AgentPresence;
  /** Order of becoming idle; smallest = longest idle. */
  idleSeq: number;
  missedInRow: number;
  /** Why an away agent is away (null when not away, or away with no reason given). */
  awayReason: AwayReason | null;
  offer: OfferRec | null;
  match: MatchRec | null;
  wrapStartedAt: number;
  speaksBridge: boolean;
  sig: AgentSig;
}

export interface OfferRec {
  id: string;
  agent: AgentRec;
  caller: CallerRec;
  needsInterpreter: boolean;
  createdAt: number;
  expiresAt: number;
  active: boolean;
}

export interface MatchRec {
  id: string;
  seq: number;
  caller: CallerRec;
  agent: AgentRec;
  startedAt: number;
  needsInterpreter: boolean;
  /** Language the interpreter must have; the caller's unless the agent asked for another. */
  interpreterLanguage: LanguageTag;
  interpreter: VolunteerRec | null;
  invitations: Set<InvitationRec>;
  /** Needs an interpreter and none has joined yet (counts as bridge demand). */
  awaiting: boolean;
  /** Volunteers not to ring again for this match (declined, or dropped out of it). */
  excluded: Set<string>;
  active: boolean;
}

export interface InvitationRec {
  id: string;
  volunteer: VolunteerRec;
  match: MatchRec;
  language: LanguageTag;
  expiresAt: number;
  active: boolean;
}

export interface VolunteerRec {
  id: string;
  tags: LanguageTag[];
  ranges: MinuteRange[];
  presence: VolunteerPresence;
  inHours: boolean;
  idleSeq: number;
  invitation: InvitationRec | null;
  match: MatchRec | null;
  /** Bumped whenever the hours deadline is rescheduled, so older heap entries become stale. */
  hoursToken: number;
}

/** A pending deadline in the Lobby's heap; each knows how to tell whether it still matters. */
export type Deadline =
  | { kind: 'offer'; offer: OfferRec }
  | { kind: 'invitation'; invitation: InvitationRec }
  | { kind: 'long-wait'; caller: CallerRec; token: number }
  | { kind: 'hours'; volunteer: VolunteerRec; token: number }
  | { kind: 'positions'; token: number };
