// The lobby's state as plain, versioned JSON data, for the replication log's periodic snapshots: a
// standby restores the latest snapshot and replays only the commands after it (restore.ts). It holds
// every fact that shapes future results and events, with references turned into ids; whatever the
// parts derive from those facts (treaps, pools, counts, the competition graph, bridge demand) is
// rebuilt on restore instead. README.md, "Snapshots", says what is in and why.
import type { AgentRoster } from './agents';
import type { BridgeCapacity } from './bridging';
import type { MinuteRange } from './calendar';
import type { CallerClasses } from './classes';
import type { DeadlineHeap } from './deadlines';
import type { HandleTimeStats } from './estimate';
import type { PatienceState, PatienceStats } from './patience';
import type { InterpreterRinger, InvitationEnd } from './interpreters';
import type { OfferBook, OfferEnd } from './offers';
import type { CallerRec, Deadline } from './records';
import type { PositionTracker } from './tracker';
import type { Transaction } from './transaction';
import type {
  AgentPresence,
  AwayReason,
  CallMode,
  LanguageTag,
  LobbyConfig,
  Priority,
  ShiftDefinition,
  VolunteerPresence,
} from './types';
import type { VolunteerRoster } from './volunteers';

/**
 * Bumped on any change to the format or to what a field means. A lobby restores only its own version:
 * the leader and its standbys run the same build, so there is nothing older to read.
 */
export const LOBBY_SNAPSHOT_VERSION = 4;

export interface LobbyStateSnapshot {
  version: typeof LOBBY_SNAPSHOT_VERSION;
  /** The resolved config the state was built under (timeouts are baked into deadlines already set). */
  config: LobbyConfig;
  /** Instant of the last call applied (what `volunteerView` reads "within hours" against). */
  now: number;
  line: SnapshotLine;
  agents: { idleCounter: number; list: SnapshotAgent[] };
  volunteers: { idleCounter: number; list: SnapshotVolunteer[] };
  offers: { seq: number; open: SnapshotOffer[]; closed: SnapshotClosed<OfferEnd>[] };
  matches: { seq: number; open: SnapshotMatch[] };
  interpreters: {
    seq: number;
    invitations: SnapshotInvitation[];
    closed: SnapshotClosed<InvitationEnd>[];
    /** Calls waiting for an interpreter, by interpreter language, in the ringer's order. */
    awaiting: Array<{ language: LanguageTag; matchIds: string[] }>;
  };
  handleTimes: {
    talk: SnapshotMoments;
    wrapUp: SnapshotMoments;
    talkByClass: Array<SnapshotMoments & { classKey: string }>;
  };
  /** How callers left the lines, for the hang-up rate (patience.ts). */
  patience: PatienceState;
  positions: SnapshotPositions;
  /** Next tie-break number, and every pending deadline that is or may become live, by (at, seq). */
  deadlines: { seq: number; pending: SnapshotDeadline[] };
}

export interface SnapshotLine {
  /** Last arrival number handed out. */
  arrivals: number;
  /** Every caller class in creation order ('text' first): the order positions are refreshed in. */
  classes: Array<{ key: string; hadCapacity: boolean }>;
  /** Caller languages in the order first seen (the order of the supervisor's per-language counts). */
  languages: LanguageTag[];
  /** Everyone in line, in the order they joined it. */
  callers: SnapshotCaller[];
}

export interface SnapshotCaller {
  id: string;
  language: LanguageTag;
  mode: CallMode;
  priority: Priority;
  seq: number;
  arrivedAt: number;
  callback: boolean;
  longWaitOffered: boolean;
  longWaitToken: number;
  noCapacityOffered: boolean;
  shownPosition: number;
  shownEstimate: number | null;
}

export interface SnapshotAgent {
  id: string;
  languages: LanguageTag[];
  shift: string | null;
  presence: AgentPresence;
  idleSeq: number;
  missedInRow: number;
  wrapStartedAt: number;
  /** Why an away agent is away; null otherwise (and when away with no reason given). Since version 3. */
  awayReason: AwayReason | null;
}

export interface SnapshotVolunteer {
  id: string;
  languages: LanguageTag[];
  /** Weekly hours as merged minute-of-week ranges, [start, end). */
  hours: MinuteRange[];
  presence: VolunteerPresence;
  inHours: boolean;
  idleSeq: number;
  hoursToken: number;
}

export interface SnapshotOffer {
  id: string;
  agentId: string;
  callerId: string;
  needsInterpreter: boolean;
  createdAt: number;
  expiresAt: number;
}

export interface SnapshotMatch {
  id: string;
  seq: number;
  /** The caller's whole record: a requeue puts this very caller back in line. */
  caller: SnapshotCaller;
  agentId: string;
  startedAt: number;
  needsInterpreter: boolean;
  interpreterLanguage: LanguageTag;
  interpreterId: string | null;
  invitationIds: string[];
  awaiting: boolean;
  excluded: string[];
}

export interface SnapshotInvitation {
  id: string;
  volunteerId: string;
  matchId: string;
  language: LanguageTag;
  expiresAt: number;
}

/** How a recently closed offer or invitation ended, oldest first (the memory evicts the oldest). */
export interface SnapshotClosed<R extends string> {
  id: string;
  ownerId: string;
  reason: R;
}

export interface SnapshotMoments {
  mean: number;
  square: number;
  count: number;
}

export interface SnapshotPositions {
  /** The competition graph must be rebuilt before it is next read (a rebuild refreshes every class). */
  graphStale: boolean;
  allDirty: boolean;
  /** Keys of the classes to refresh, in the order they were marked. */
  dirty: string[];
  token: number;
  scheduled: boolean;
  /** null: no refresh yet. */
  lastRefreshAt: number | null;
}

export type SnapshotDeadline = { at: number; seq: number } & (
  | { kind: 'offer'; offerId: string }
  | { kind: 'invitation'; invitationId: string }
  | { kind: 'long-wait'; callerId: string; token: number }
  | { kind: 'hours'; volunteerId: string; token: number }
  | { kind: 'positions'; token: number }
);

/** What the writer and the restorer reach inside a Lobby. */
export interface LobbyParts {
  config: Readonly<LobbyConfig>;
  tx: Transaction;
  classes: CallerClasses;
  agents: AgentRoster;
  volunteers: VolunteerRoster;
  book: OfferBook;
  ringer: InterpreterRinger;
  bridge: BridgeCapacity;
  stats: HandleTimeStats;
  patience: PatienceStats;
  tracker: PositionTracker;
  deadlines: DeadlineHeap<Deadline>;
}

/** Reads the state; changes nothing (not even the heap's lazy clean-up), reads no clock. */
export function writeSnapshot(p: LobbyParts): LobbyStateSnapshot {
  const book = p.book.exportState();
  const ringer = p.ringer.exportState();
  return {
    version: LOBBY_SNAPSHOT_VERSION,
    config: configData(p.config),
    now: p.tx.now,
    line: { ...p.classes.exportState(), callers: [...p.classes.callers.values()].map(callerData) },
    agents: {
      idleCounter: p.agents.exportState().idleCounter,
      list: [...p.agents.byId.values()].map((a) => ({
        id: a.id,
        languages: [...a.tags],
        shift: a.shift,
        presence: a.presence,
        idleSeq: a.idleSeq,
        missedInRow: a.missedInRow,
        wrapStartedAt: a.wrapStartedAt,
        awayReason: a.awayReason,
      })),
    },
    volunteers: {
      idleCounter: p.volunteers.exportState().idleCounter,
      list: [...p.volunteers.byId.values()].map((v) => ({
        id: v.id,
        languages: [...v.tags],
        hours: v.ranges.map((r) => ({ start: r.start, end: r.end })),
        presence: v.presence,
        inHours: v.inHours,
        idleSeq: v.idleSeq,
        hoursToken: v.hoursToken,
      })),
    },
    offers: {
      seq: book.offerSeq,
      open: [...p.book.offers.values()].map((o) => ({
        id: o.id,
        agentId: o.agent.id,
        callerId: o.caller.id,
        needsInterpreter: o.needsInterpreter,
        createdAt: o.createdAt,
        expiresAt: o.expiresAt,
      })),
      closed: book.closed,
    },
    matches: {
      seq: book.matchSeq,
      open: [...p.book.matches.values()].map((m) => ({
        id: m.id,
        seq: m.seq,
        caller: callerData(m.caller),
        agentId: m.agent.id,
        startedAt: m.startedAt,
        needsInterpreter: m.needsInterpreter,
        interpreterLanguage: m.interpreterLanguage,
        interpreterId: m.interpreter?.id ?? null,
        invitationIds: [...m.invitations].map((i) => i.id),
        awaiting: m.awaiting,
        excluded: [...m.excluded],
      })),
    },
    interpreters: {
      seq: ringer.seq,
      invitations: [...p.ringer.invitations.values()].map((i) => ({
        id: i.id,
        volunteerId: i.volunteer.id,
        matchId: i.match.id,
        language: i.language,
        expiresAt: i.expiresAt,
      })),
      closed: ringer.closed,
      awaiting: ringer.awaiting,
    },
    handleTimes: p.stats.exportState(),
    patience: p.patience.exportState(),
    positions: p.tracker.exportState(),
    deadlines: { seq: p.deadlines.nextSeq, pending: pendingDeadlines(p) },
  };
}

function callerData(c: CallerRec): SnapshotCaller {
  return {
    id: c.id,
    language: c.language,
    mode: c.mode,
    priority: c.priority,
    seq: c.seq,
    arrivedAt: c.arrivedAt,
    callback: c.callback,
    longWaitOffered: c.longWaitOffered,
    longWaitToken: c.longWaitToken,
    noCapacityOffered: c.noCapacityOffered,
    shownPosition: c.shownPosition,
    shownEstimate: c.shownEstimate,
  };
}

/** Only the keys a LobbyConfig has, in a fixed order, so equal configs serialise equally. */
export function configData(c: Readonly<LobbyConfig>): LobbyConfig {
  return {
    offerTimeoutMs: c.offerTimeoutMs,
    maxMissedOffers: c.maxMissedOffers,
    volunteerRingBatch: c.volunteerRingBatch,
    invitationTimeoutMs: c.invitationTimeoutMs,
    fallbackAfterMs: c.fallbackAfterMs,
    bridgeLanguage: c.bridgeLanguage,
    timeZone: c.timeZone,
    shifts: c.shifts.map(shiftData),
    handleTimePriorMs: c.handleTimePriorMs,
    wrapUpPriorMs: c.wrapUpPriorMs,
    handleTimeAlpha: c.handleTimeAlpha,
    estimateStepMs: c.estimateStepMs,
    positionUpdateIntervalMs: c.positionUpdateIntervalMs,
    waitEstimator: c.waitEstimator,
  };
}

function shiftData(s: ShiftDefinition): ShiftDefinition {
  return { name: s.name, start: s.start, end: s.end, ...(s.days === undefined ? {} : { days: [...s.days] }) };
}

/**
 * The heap drops dead entries lazily, so it may still hold some. Kept: those live now. The others can
 * never fire again (offers, invitations and callers are never reused; tokens only grow, and a caller
 * back in line after a call gets a long-wait deadline of their own).
 */
function pendingDeadlines(p: LobbyParts): SnapshotDeadline[] {
  const out: SnapshotDeadline[] = [];
  for (const { at, seq, item: d } of p.deadlines.entries()) {
    switch (d.kind) {
      case 'offer':
        if (d.offer.active) out.push({ at, seq, kind: 'offer', offerId: d.offer.id });
        break;
      case 'invitation':
        if (d.invitation.active) out.push({ at, seq, kind: 'invitation', invitationId: d.invitation.id });
        break;
      case 'long-wait': {
        const c = d.caller;
        if (d.token === c.longWaitToken && p.classes.isWaiting(c) && !c.longWaitOffered && !c.callback)
          out.push({ at, seq, kind: 'long-wait', callerId: c.id, token: d.token });
        break;
      }
      case 'hours':
        if (d.volunteer.hoursToken === d.token)
          out.push({ at, seq, kind: 'hours', volunteerId: d.volunteer.id, token: d.token });
        break;
      case 'positions':
        if (p.tracker.isDue(d.token)) out.push({ at, seq, kind: 'positions', token: d.token });
        break;
    }
  }
  return out.sort((a, b) => a.at - b.at || a.seq - b.seq);
}
