// The matching engine. Pure: no timers, no I/O, time only from the injected clock. Every public
// mutating method validates first (a failed call changes nothing), then mutates, restores the
// matching invariant ("no idle agent could take a waiting caller") and returns the events the
// driver must relay. Rules and reasoning: README.md in this folder.
import { AgentRoster, isIdleAgent, isOnlineAgent } from './agents';
import { inRanges, weeklyRanges } from './calendar';
import type { ZonedCalendar } from './calendar';
import { classStaff, rebuildCompetition, regionStaff } from './competition';
import { resolveConfig } from './config';
import { DeadlineHeap } from './deadlines';
import { HandleTimeStats } from './estimate';
import { buildInspection } from './inspection';
import {
  canonicalLanguage,
  canonicalStaffLanguages,
  languagePrefixes,
  primaryLanguage,
  serves,
} from './languages';
import { InterpreterDesk } from './interpreters';
import { OrderedIndex } from './ordered';
import { refreshClasses, viewOf } from './positions';
import type { ClassInputs } from './positions';
import type {
  AgentRec,
  CallerClass,
  CallerRec,
  InvitationRec,
  MatchRec,
  OfferRec,
  VolunteerRec,
} from './records';
import { ClosedLog, fail, isId, isRecord } from './results';
import type { ShiftCalendar } from './shifts';
import { isVolunteerOnline, VolunteerRoster } from './volunteers';
import type {
  AgentInput,
  AgentPresence,
  CallerView,
  CallMode,
  VolunteerPresence,
  Clock,
  EnqueueInput,
  FallbackChoice,
  LanguageCounts,
  LanguageTag,
  LobbyConfig,
  LobbyEvent,
  LobbyInspection,
  LobbyResult,
  LobbySnapshot,
  Priority,
  VolunteerInput,
} from './types';

type Deadline =
  | { kind: 'offer'; offer: OfferRec }
  | { kind: 'invitation'; invitation: InvitationRec }
  | { kind: 'long-wait'; caller: CallerRec }
  | { kind: 'hours'; volunteer: VolunteerRec; token: number }
  | { kind: 'positions'; token: number };

type OfferEnd = 'accepted' | 'declined' | 'expired' | 'withdrawn';

// Ordering key: every 'head' caller sorts before every 'normal' one, then arrival order.
const NORMAL_BAND = 2 ** 45;
const keyFor = (priority: Priority, seq: number): number => (priority === 'head' ? 0 : NORMAL_BAND) + seq;

/** Past this many caller classes, empty ones are pruned before a new one is created. */
const MAX_IDLE_CLASSES = 128;

const SETTABLE_PRESENCE: ReadonlySet<string> = new Set(['available', 'away', 'offline']);
const FALLBACK_CHOICES: ReadonlySet<string> = new Set<FallbackChoice>(['wait', 'text', 'callback']);

export class Lobby {
  readonly config: Readonly<LobbyConfig>;
  private readonly calendar: ZonedCalendar;
  private readonly shiftCalendar: ShiftCalendar;
  private readonly agents: AgentRoster;
  private readonly volunteers = new VolunteerRoster();
  private readonly stats: HandleTimeStats;
  private readonly deadlines: DeadlineHeap<Deadline>;
  private readonly desk: InterpreterDesk;

  private readonly callers = new Map<string, CallerRec>();
  private readonly classes = new Map<string, CallerClass>();
  private readonly classList: CallerClass[] = [];
  private readonly classesByPrefix = new Map<LanguageTag, CallerClass[]>();
  private readonly textClass: CallerClass;
  private readonly bridgeReadyClasses = new Set<CallerClass>();
  /** Bridged offers pending + matches waiting for an interpreter, by language: volunteers spoken for. */
  private readonly demand = new Map<LanguageTag, number>();
  private readonly langCounts = new Map<LanguageTag, LanguageCounts>();

  private readonly offers = new Map<string, OfferRec>();
  private readonly matches = new Map<string, MatchRec>();
  private readonly matchByCaller = new Map<string, MatchRec>();
  private readonly closedOffers = new ClosedLog<OfferEnd>();

  private callerSeq = 0;
  private offerSeq = 0;
  private matchSeq = 0;
  /** The instant of the call being processed: one clock read per public call. */
  private now = 0;
  private out: LobbyEvent[] = [];

  // Work discovered while mutating, consumed by settle().
  private readonly newReadyCallers = new Set<CallerRec>();
  private readonly newIdleAgents = new Set<AgentRec>();
  private readonly bridgeOpened = new Set<CallerClass>();
  private readonly capacityCheck = new Set<CallerClass>();
  private capacityCheckAll = false;

  // Competition graph and queue-position bookkeeping.
  private graphVersion = 0;
  private builtGraphVersion = -1;
  private builtAgentVersion = -1;
  private readonly dirtyClasses = new Set<CallerClass>();
  private allDirty = false;
  private positionsToken = 0;
  private positionsScheduled = false;
  private lastPositionsAt = Number.NEGATIVE_INFINITY;

  constructor(
    config: Partial<LobbyConfig>,
    private readonly clock: Clock,
  ) {
    const resolved = resolveConfig(config);
    this.config = resolved.config;
    this.calendar = resolved.calendar;
    this.shiftCalendar = resolved.shifts;
    this.agents = new AgentRoster(primaryLanguage(this.config.bridgeLanguage));
    this.stats = new HandleTimeStats(
      this.config.handleTimePriorMs,
      this.config.wrapUpPriorMs,
      this.config.handleTimeAlpha,
    );
    this.deadlines = new DeadlineHeap<Deadline>((d) => this.isLive(d));
    this.desk = new InterpreterDesk(
      {
        ringBatch: this.config.volunteerRingBatch,
        invitationTimeoutMs: this.config.invitationTimeoutMs,
        now: () => this.now,
        clock: () => this.clock(),
        emit: (e) => this.emit(e),
        scheduleExpiry: (invitation) =>
          this.deadlines.push(invitation.expiresAt, { kind: 'invitation', invitation }),
        changeVolunteer: (v, mutate, keep) => this.changeVolunteer(v, mutate, keep),
        addDemand: (language, delta) => this.addDemand(language, delta),
      },
      this.volunteers,
    );
    this.textClass = this.classFor('text', null);
  }

  // ───────────────────────────── callers ─────────────────────────────

  enqueueCaller(input: EnqueueInput): LobbyResult<CallerView> {
    if (!isRecord(input) || !isId(input.callerId))
      return fail('invalid-argument', 'callerId must be a non-empty string');
    const { callerId } = input;
    if (this.callers.has(callerId)) return fail('invalid-state', `caller ${callerId} is already in line`);
    if (this.matchByCaller.has(callerId))
      return fail('invalid-state', `caller ${callerId} is already in a call`);
    const language = canonicalLanguage(input.language);
    if (language === null)
      return fail('invalid-language', `'${String(input.language)}' is not a valid BCP-47 tag`);
    if (input.mode !== 'video' && input.mode !== 'text')
      return fail('invalid-argument', "mode must be 'video' or 'text'");
    const priority = input.priority ?? 'normal';
    if (priority !== 'normal' && priority !== 'head')
      return fail('invalid-argument', "priority must be 'normal' or 'head'");

    const now = this.begin();
    const cls = this.classFor(input.mode, language);
    const seq = ++this.callerSeq;
    const caller: CallerRec = {
      id: callerId,
      language,
      mode: input.mode,
      priority,
      seq,
      key: keyFor(priority, seq),
      arrivedAt: now,
      cls,
      callback: false,
      offer: null,
      longWaitOffered: false,
      noCapacityOffered: false,
      shownPosition: 0,
      shownEstimate: null,
    };
    this.addToLine(caller);
    this.deadlines.push(now + this.config.fallbackAfterMs, { kind: 'long-wait', caller });
    this.settle();
    this.ensureGraph();
    const hasCapacity = this.hasCapacity(cls);
    cls.hadCapacity = hasCapacity;
    if (!hasCapacity) this.offerNoCapacity(caller);
    const view = this.viewOf(caller);
    caller.shownPosition = view.position;
    caller.shownEstimate = view.estimatedWaitMs;
    return this.commit(view);
  }

  /** Leaves the line. `reason` 'abandoned' when the driver noticed a hang-up rather than a cancel. */
  cancelCaller(
    callerId: string,
    reason: 'cancelled' | 'abandoned' = 'cancelled',
  ): LobbyResult<{ waitedMs: number }> {
    if (reason !== 'cancelled' && reason !== 'abandoned') {
      return fail('invalid-argument', "reason must be 'cancelled' or 'abandoned'");
    }
    const caller = this.callers.get(callerId);
    if (caller === undefined) {
      if (this.matchByCaller.has(callerId))
        return fail('invalid-state', `caller ${callerId} is already connected`);
      return fail('not-found', `caller ${String(callerId)} is not in line`);
    }
    const now = this.begin();
    if (caller.offer !== null) this.withdrawOffer(caller.offer, 'caller-left');
    this.removeFromLine(caller);
    const waitedMs = now - caller.arrivedAt;
    this.emit({ type: 'caller-left', callerId, reason, waitedMs });
    return this.commit({ waitedMs });
  }

  /** Options after 'fallback-available' (accepted at any time while waiting without a pending offer). */
  chooseFallback(callerId: string, choice: FallbackChoice): LobbyResult<void> {
    if (!FALLBACK_CHOICES.has(choice))
      return fail('invalid-argument', "choice must be 'wait', 'text' or 'callback'");
    const caller = this.callers.get(callerId);
    if (caller === undefined) return fail('not-found', `caller ${String(callerId)} is not in line`);
    if (caller.offer !== null) return fail('invalid-state', 'an agent is being offered this call right now');
    if (choice === 'text' && caller.mode === 'text')
      return fail('invalid-state', 'the caller is already in text chat');
    this.begin();
    if (choice === 'text') {
      // Same place in line (same key), now in the text class that any agent can take.
      this.removeFromLine(caller);
      caller.mode = 'text';
      caller.cls = this.textClass;
      this.addToLine(caller);
    } else if (choice === 'callback' && !caller.callback) {
      this.countLanguage(caller, -1);
      caller.callback = true;
      this.countLanguage(caller, 1);
    }
    return this.commit(undefined);
  }

  // ───────────────────────────── agents ─────────────────────────────

  upsertAgent(input: AgentInput): LobbyResult<void> {
    if (!isRecord(input) || !isId(input.agentId))
      return fail('invalid-argument', 'agentId must be a non-empty string');
    if (!Array.isArray(input.languages) || input.languages.length === 0) {
      return fail('invalid-argument', 'languages must be a non-empty array');
    }
    const langs = canonicalStaffLanguages(input.languages);
    if (!langs.ok) return fail('invalid-language', `'${langs.invalid}' is not a valid BCP-47 tag`);
    const shift = input.shift ?? null;
    if (shift !== null && (typeof shift !== 'string' || !this.shiftCalendar.has(shift))) {
      return fail('invalid-argument', `unknown shift '${String(shift)}'`);
    }
    this.begin();
    const agent = this.agents.byId.get(input.agentId);
    if (agent === undefined) {
      this.agents.create(input.agentId, langs.tags, shift);
    } else {
      this.changeAgent(agent, () => {
        agent.tags = langs.tags;
        agent.shift = shift;
      });
      // New languages may make an idle agent useful to someone already waiting.
      if (isIdleAgent(agent)) this.newIdleAgents.add(agent);
    }
    return this.commit(undefined);
  }

  /** 'away'/'offline' during an offer withdraws it and the caller goes to the next agent. */
  setAgentPresence(agentId: string, presence: 'available' | 'away' | 'offline'): LobbyResult<void> {
    if (!SETTABLE_PRESENCE.has(presence))
      return fail('invalid-argument', "presence must be 'available', 'away' or 'offline'");
    const agent = this.agents.byId.get(agentId);
    if (agent === undefined) return fail('not-found', `agent ${String(agentId)} is unknown`);
    const from = agent.presence;
    if (from === 'in-call')
      return fail('invalid-state', 'agent is in a call: endMatch or requeueCaller first');
    if (presence === 'available' && from === 'offered')
      return fail('invalid-state', 'agent has a pending offer');
    this.begin();
    if (presence === 'available') {
      if (from === 'wrap-up') this.endWrapUp(agent);
      else if (from !== 'available') {
        this.changeAgent(agent, () => {
          agent.presence = 'available';
          agent.missedInRow = 0;
        });
      }
    } else {
      if (agent.offer !== null) this.withdrawOffer(agent.offer, 'agent-left', presence);
      if (from === 'wrap-up') this.stats.recordWrapUp(this.now - agent.wrapStartedAt);
      if (agent.presence !== presence) this.changeAgent(agent, () => (agent.presence = presence));
    }
    return this.commit(undefined);
  }

  acceptOffer(
    agentId: string,
    offerId: string,
  ): LobbyResult<{ matchId: string; callerId: string; needsInterpreter: boolean }> {
    const found = this.findOffer(agentId, offerId);
    if (!found.ok) return found;
    const offer = found.value;
    const now = this.begin();
    const { agent, caller } = offer;
    offer.active = false;
    this.offers.delete(offer.id);
    this.closedOffers.set(offer.id, agent.id, 'accepted');
    caller.offer = null;
    this.removeFromLine(caller);
    const match: MatchRec = {
      id: `match-${++this.matchSeq}`,
      seq: this.matchSeq,
      caller,
      agent,
      startedAt: now,
      needsInterpreter: offer.needsInterpreter,
      interpreterLanguage: caller.language,
      interpreter: null,
      invitations: new Set(),
      awaiting: offer.needsInterpreter,
      excluded: new Set(),
      active: true,
    };
    this.matches.set(match.id, match);
    this.matchByCaller.set(caller.id, match);
    this.changeAgent(agent, () => {
      agent.offer = null;
      agent.match = match;
      agent.presence = 'in-call';
      agent.missedInRow = 0;
    });
    this.emit({
      type: 'matched',
      matchId: match.id,
      callerId: caller.id,
      agentId: agent.id,
      language: caller.language,
      mode: caller.mode,
      needsInterpreter: match.needsInterpreter,
      ...(caller.callback ? { callback: true as const } : {}),
    });
    // The bridged offer's claim on a volunteer carries over to the match until one joins.
    if (match.awaiting) this.desk.startAwaiting(match, false);
    return this.commit({ matchId: match.id, callerId: caller.id, needsInterpreter: match.needsInterpreter });
  }

  /** An explicit decline is an answer, not a miss: the streak resets and the caller goes to the next agent. */
  declineOffer(agentId: string, offerId: string): LobbyResult<void> {
    const found = this.findOffer(agentId, offerId);
    if (!found.ok) return found;
    const offer = found.value;
    this.begin();
    offer.agent.missedInRow = 0;
    this.closeOffer(offer, 'declined', 'available');
    this.returnToReady(offer.caller);
    return this.commit(undefined);
  }

  /** Call ended: agent to wrap-up, interpreter freed, talk time recorded for estimates. */
  endMatch(matchId: string): LobbyResult<void> {
    const match = this.matches.get(matchId);
    if (match === undefined) return fail('not-found', `match ${String(matchId)} is not active`);
    const now = this.begin();
    this.stats.recordTalk(match.caller.cls.key, now - match.startedAt);
    this.closeMatch(match);
    const agent = match.agent;
    this.changeAgent(agent, () => {
      agent.match = null;
      agent.presence = 'wrap-up';
      agent.wrapStartedAt = now;
    });
    this.allDirty = true; // the averages moved
    return this.commit(undefined);
  }

  finishWrapUp(agentId: string): LobbyResult<void> {
    const agent = this.agents.byId.get(agentId);
    if (agent === undefined) return fail('not-found', `agent ${String(agentId)} is unknown`);
    if (agent.presence !== 'wrap-up')
      return fail('invalid-state', `agent is ${agent.presence}, not in wrap-up`);
    this.begin();
    this.endWrapUp(agent);
    return this.commit(undefined);
  }

  /**
   * An agent who went offline while a wrap-up was still owed signed in again: back to wrap-up (not
   * taking calls) until they finish it. Only from 'offline' or 'away', never mid-offer or mid-call.
   */
  resumeWrapUp(agentId: string): LobbyResult<void> {
    const agent = this.agents.byId.get(agentId);
    if (agent === undefined) return fail('not-found', `agent ${String(agentId)} is unknown`);
    if (agent.presence === 'wrap-up') return { ok: true, value: undefined, events: [] };
    if (agent.presence !== 'offline' && agent.presence !== 'away')
      return fail(
        'invalid-state',
        `agent is ${agent.presence}: only an offline or away agent resumes a wrap-up`,
      );
    const now = this.begin();
    this.changeAgent(agent, () => {
      agent.presence = 'wrap-up';
      agent.wrapStartedAt = now;
    });
    return this.commit(undefined);
  }

  /** The agent vanished: the match closes, the agent goes offline, the caller returns at the head of the line. */
  requeueCaller(matchId: string): LobbyResult<void> {
    const match = this.matches.get(matchId);
    if (match === undefined) return fail('not-found', `match ${String(matchId)} is not active`);
    const now = this.begin();
    this.closeMatch(match);
    const agent = match.agent;
    this.changeAgent(agent, () => {
      agent.match = null;
      agent.presence = 'offline';
    });
    const caller = match.caller;
    // Its class may have been pruned while the caller was in the call.
    caller.cls = this.classFor(caller.mode, caller.mode === 'text' ? null : caller.language);
    caller.priority = 'head';
    caller.key = keyFor('head', caller.seq);
    caller.offer = null;
    this.addToLine(caller);
    const fallbackAt = caller.arrivedAt + this.config.fallbackAfterMs;
    if (!caller.longWaitOffered)
      this.deadlines.push(Math.max(now, fallbackAt), { kind: 'long-wait', caller });
    return this.commit(undefined);
  }

  // ───────────────────────────── volunteers ─────────────────────────────

  upsertVolunteer(input: VolunteerInput): LobbyResult<void> {
    if (!isRecord(input) || !isId(input.volunteerId)) {
      return fail('invalid-argument', 'volunteerId must be a non-empty string');
    }
    if (!Array.isArray(input.languages) || input.languages.length === 0) {
      return fail('invalid-argument', 'languages must be a non-empty array');
    }
    const langs = canonicalStaffLanguages(input.languages);
    if (!langs.ok) return fail('invalid-language', `'${langs.invalid}' is not a valid BCP-47 tag`);
    const hours = weeklyRanges(input.weeklyHours);
    if (!hours.ok) return fail('invalid-argument', hours.message);
    this.begin();
    const existing = this.volunteers.byId.get(input.volunteerId);
    if (existing === undefined) {
      this.volunteers.create({ id: input.volunteerId, tags: langs.tags, ranges: hours.ranges });
    } else {
      this.changeVolunteer(existing, () => {
        existing.tags = langs.tags;
        existing.ranges = hours.ranges;
        existing.inHours = isVolunteerOnline(existing) && this.withinHours(existing);
      });
      this.scheduleHours(existing);
      if (existing.presence === 'available') this.desk.volunteerRingable(existing);
    }
    return this.commit(undefined);
  }

  setVolunteerPresence(volunteerId: string, presence: 'available' | 'away' | 'offline'): LobbyResult<void> {
    if (!SETTABLE_PRESENCE.has(presence))
      return fail('invalid-argument', "presence must be 'available', 'away' or 'offline'");
    const v = this.volunteers.byId.get(volunteerId);
    if (v === undefined) return fail('not-found', `volunteer ${String(volunteerId)} is unknown`);
    if (v.presence === 'in-call')
      return fail('invalid-state', 'volunteer is interpreting: call interpreterLeft first');
    if (presence === 'available' && v.presence === 'invited')
      return fail('invalid-state', 'volunteer has an invitation');
    this.begin();
    if (v.presence === presence) return this.commit(undefined);
    if (presence === 'available') {
      this.changeVolunteer(v, () => {
        v.presence = 'available';
        v.inHours = this.withinHours(v);
      });
    } else {
      if (v.invitation !== null) this.desk.withdraw(v.invitation, 'cancelled', presence);
      this.changeVolunteer(v, () => {
        v.presence = presence;
        v.inHours = false;
      });
    }
    this.scheduleHours(v);
    return this.commit(undefined);
  }

  /** First accept wins; a late one gets 'expired', a lost race 'taken'. */
  acceptInvitation(volunteerId: string, invitationId: string): LobbyResult<{ matchId: string }> {
    const found = this.findInvitation(volunteerId, invitationId);
    if (!found.ok) return found;
    this.begin();
    this.desk.accept(found.value);
    return this.commit({ matchId: found.value.match.id });
  }

  /** Declined: that volunteer is not rung again for this call; one more is rung in their place. */
  declineInvitation(volunteerId: string, invitationId: string): LobbyResult<void> {
    const found = this.findInvitation(volunteerId, invitationId);
    if (!found.ok) return found;
    this.begin();
    this.desk.decline(found.value);
    return this.commit(undefined);
  }

  /** The agent asks for an interpreter mid-call (optionally for another language): ring volunteers. */
  requestInterpreter(matchId: string, language?: string): LobbyResult<void> {
    const match = this.matches.get(matchId);
    if (match === undefined) return fail('not-found', `match ${String(matchId)} is not active`);
    if (match.interpreter !== null) return fail('invalid-state', 'an interpreter is already in the call');
    if (match.awaiting) return fail('invalid-state', 'already looking for an interpreter');
    const lang = language === undefined ? match.caller.language : canonicalLanguage(language);
    if (lang === null) return fail('invalid-language', `'${String(language)}' is not a valid BCP-47 tag`);
    this.begin();
    match.needsInterpreter = true;
    match.interpreterLanguage = lang;
    this.desk.startAwaiting(match, true);
    return this.commit(undefined);
  }

  /** The interpreter dropped or was removed: the call goes on and others are rung. */
  interpreterLeft(matchId: string): LobbyResult<void> {
    const match = this.matches.get(matchId);
    if (match === undefined) return fail('not-found', `match ${String(matchId)} is not active`);
    const v = match.interpreter;
    if (v === null) return fail('invalid-state', 'no interpreter is in the call');
    this.begin();
    this.desk.interpreterLeft(match, v);
    return this.commit(undefined);
  }

  /** The agent stops looking for an interpreter (or removed one without replacing them). */
  cancelInterpreterSearch(matchId: string): LobbyResult<void> {
    const match = this.matches.get(matchId);
    if (match === undefined) return fail('not-found', `match ${String(matchId)} is not active`);
    if (!match.awaiting) return fail('invalid-state', 'not looking for an interpreter');
    this.begin();
    this.desk.cancelSearch(match);
    return this.commit(undefined);
  }

  // ───────────────────────────── time ─────────────────────────────

  /** Processes every deadline due at or before clock(), in order. */
  tick(): LobbyEvent[] {
    const now = this.begin();
    for (;;) {
      const due = this.deadlines.popDue(now);
      if (due === undefined) break;
      this.handleDeadline(due.item);
      this.settle();
    }
    this.finishPositions();
    return this.drain();
  }

  /** Earliest pending deadline, so the driver keeps a single timer. */
  nextDeadline(): number | null {
    return this.deadlines.peek()?.at ?? null;
  }

  /** Emits pending queue-position events now (useful with positionUpdateIntervalMs > 0). */
  flushPositions(): LobbyEvent[] {
    this.begin();
    this.refreshPositions();
    return this.drain();
  }

  // ───────────────────────────── read models ─────────────────────────────

  snapshot(): LobbySnapshot {
    const at = this.clock();
    const callersByLanguage: Record<LanguageTag, LanguageCounts> = {};
    for (const [lang, counts] of this.langCounts)
      if (counts.waiting > 0) callersByLanguage[lang] = { ...counts };
    const agentsOnlineByShift: Record<string, number> = {};
    for (const a of this.agents.byId.values()) {
      if (!isOnlineAgent(a)) continue;
      const shift = a.shift ?? '';
      agentsOnlineByShift[shift] = (agentsOnlineByShift[shift] ?? 0) + 1;
    }
    return {
      at,
      shift: this.shiftCalendar.shiftAt(this.calendar, at),
      callersWaiting: this.callers.size,
      callersByLanguage,
      offersPending: this.offers.size,
      agentsByPresence: { ...this.agents.presenceCounts },
      agentsOnlineByShift,
      volunteersByPresence: { ...this.volunteers.presenceCounts },
      volunteersOnline: this.volunteers.onlineInHours,
      activeMatches: this.matches.size,
      matchesAwaitingInterpreter: this.desk.awaitingCount,
      bridgeableLanguages: this.classList
        .filter((c) => c.language !== null && c.bridgeCapable)
        .map((c) => c.language as LanguageTag)
        .sort(),
    };
  }

  /** Current position and (rounded) estimate; null when the caller is not in line. O(classes · log n). */
  callerView(callerId: string): CallerView | null {
    const caller = this.callers.get(callerId);
    if (caller === undefined) return null;
    this.ensureGraph();
    return this.viewOf(caller);
  }

  /** An agent's state, as the one owner of it knows it. O(1). */
  agentView(agentId: string): { presence: AgentPresence } | null {
    const agent = this.agents.byId.get(agentId);
    return agent === undefined ? null : { presence: agent.presence };
  }

  /** A volunteer's state and whether now is within their weekly hours (only then are they rung). O(1). */
  volunteerView(volunteerId: string): { presence: VolunteerPresence; withinHours: boolean } | null {
    const v = this.volunteers.byId.get(volunteerId);
    if (v === undefined) return null;
    return { presence: v.presence, withinHours: this.withinHours(v) };
  }

  /** Name of the shift running now per the configured calendar. */
  currentShift(): string | null {
    return this.shiftCalendar.shiftAt(this.calendar, this.clock());
  }

  /** Full O(n) read-out of the state (tests, debugging, supervisor detail). */
  inspect(): LobbyInspection {
    const now = this.clock();
    return buildInspection({
      now,
      minuteOfWeek: this.calendar.minuteOfWeek(now),
      callers: this.callers.values(),
      agents: this.agents.byId.values(),
      volunteers: this.volunteers.byId.values(),
      offers: this.offers.values(),
      matches: this.matches.values(),
      invitations: this.desk.invitations.values(),
    });
  }

  // ───────────────────────────── call plumbing ─────────────────────────────

  private begin(): number {
    this.now = this.clock();
    return this.now;
  }

  private emit(event: LobbyEvent): void {
    this.out.push(event);
  }

  private drain(): LobbyEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }

  private commit<T>(value: T): LobbyResult<T> {
    this.settle();
    this.finishPositions();
    return { ok: true, value, events: this.drain() };
  }

  // ───────────────────────────── matching ─────────────────────────────

  /** Restores the invariant after a mutation: offers, invitations, then capacity notices. */
  private settle(): void {
    for (;;) {
      if (this.newReadyCallers.size > 0 || this.newIdleAgents.size > 0 || this.bridgeOpened.size > 0) {
        this.matchPass();
      } else if (this.desk.hasWork()) {
        this.desk.work();
      } else {
        break;
      }
    }
    this.checkCapacity();
  }

  /**
   * Before the mutation no idle agent could take any ready caller, so every new possible pair involves
   * a new ready caller, a new idle agent, or a language that just became bridgeable. Among those we
   * repeatedly take the earliest caller (priority, arrival) that someone idle can take, and give them
   * the longest-idle agent who can (a direct agent before a bridge one). Offers only use capacity up,
   * so a source that yields nothing is dropped for the rest of the pass.
   */
  private matchPass(): void {
    const classes = new Set<CallerClass>(this.bridgeOpened);
    for (const c of this.newReadyCallers) classes.add(c.cls);
    const agents = new Set<AgentRec>(this.newIdleAgents);
    this.newReadyCallers.clear();
    this.newIdleAgents.clear();
    this.bridgeOpened.clear();
    for (;;) {
      let best: CallerRec | undefined;
      for (const cls of classes) {
        const head = cls.ready.min();
        if (head === undefined || this.agentFor(cls) === null) {
          classes.delete(cls);
        } else if (best === undefined || head.key < best.key) {
          best = head;
        }
      }
      for (const agent of agents) {
        const pick = isIdleAgent(agent) ? this.earliestFor(agent) : undefined;
        if (pick === undefined) agents.delete(agent);
        else if (best === undefined || pick.key < best.key) best = pick;
      }
      if (best === undefined) return;
      const choice = this.agentFor(best.cls);
      if (choice === null) return; // unreachable: best came from a source with an eligible agent
      this.makeOffer(best, choice.agent, choice.bridged);
    }
  }

  /** Longest-idle agent for a class: one with the language first; else, if bridgeable, any bridge speaker. */
  private agentFor(cls: CallerClass): { agent: AgentRec; bridged: boolean } | null {
    if (cls.language === null) {
      const agent = this.agents.anyPool.min();
      return agent === undefined ? null : { agent, bridged: false };
    }
    const direct = this.agents.bestDirect(cls.prefixes);
    if (direct !== undefined) return { agent: direct, bridged: false };
    if (cls.bridgeReady) {
      const agent = this.agents.bridgePool.min();
      if (agent !== undefined) return { agent, bridged: true };
    }
    return null;
  }

  /** Earliest ready caller this idle agent could take (directly, text, or bridged). */
  private earliestFor(agent: AgentRec): CallerRec | undefined {
    let best: CallerRec | undefined;
    const consider = (cls: CallerClass): void => {
      const head = cls.ready.min();
      if (head !== undefined && (best === undefined || head.key < best.key)) best = head;
    };
    for (const t of agent.tags) for (const cls of this.classesByPrefix.get(t) ?? []) consider(cls);
    consider(this.textClass);
    if (agent.speaksBridge) {
      for (const cls of this.bridgeReadyClasses) {
        const lang = cls.language;
        if (lang !== null && !agent.tags.some((t) => serves(t, lang))) consider(cls);
      }
    }
    return best;
  }

  private makeOffer(caller: CallerRec, agent: AgentRec, bridged: boolean): void {
    const offer: OfferRec = {
      id: `offer-${++this.offerSeq}`,
      agent,
      caller,
      needsInterpreter: bridged,
      createdAt: this.now,
      expiresAt: this.now + this.config.offerTimeoutMs,
      active: true,
    };
    caller.cls.ready.delete(caller.key);
    caller.offer = offer;
    this.changeAgent(agent, () => {
      agent.offer = offer;
      agent.presence = 'offered';
    });
    this.offers.set(offer.id, offer);
    if (bridged) this.addDemand(caller.language, 1);
    this.deadlines.push(offer.expiresAt, { kind: 'offer', offer });
    this.dirtyClasses.add(caller.cls);
    this.emit({
      type: 'offer',
      offerId: offer.id,
      agentId: agent.id,
      callerId: caller.id,
      language: caller.language,
      mode: caller.mode,
      waitedMs: this.now - caller.arrivedAt,
      expiresAt: offer.expiresAt,
      needsInterpreter: bridged,
      ...(caller.callback ? { callback: true as const } : {}),
    });
  }

  /** Ends an offer without a match; the agent goes to `next` (back of the idle line unless kept). */
  private closeOffer(
    offer: OfferRec,
    reason: OfferEnd,
    next: AgentPresence,
    keepIdleOrder = false,
    presenceReason?: 'missed-offers',
  ): void {
    const agent = offer.agent;
    offer.active = false;
    this.offers.delete(offer.id);
    this.closedOffers.set(offer.id, agent.id, reason);
    offer.caller.offer = null;
    this.changeAgent(
      agent,
      () => {
        agent.offer = null;
        agent.presence = next;
      },
      keepIdleOrder,
      presenceReason,
    );
    if (offer.needsInterpreter) this.addDemand(offer.caller.language, -1);
    this.dirtyClasses.add(offer.caller.cls);
  }

  private withdrawOffer(
    offer: OfferRec,
    reason: 'caller-left' | 'agent-left',
    agentNext?: AgentPresence,
  ): void {
    this.emit({ type: 'offer-withdrawn', offerId: offer.id, agentId: offer.agent.id, reason });
    if (reason === 'caller-left') {
      // Not the agent's doing: they keep their place among idle agents.
      this.closeOffer(offer, 'withdrawn', 'available', true);
    } else {
      this.closeOffer(offer, 'withdrawn', agentNext ?? 'away');
      this.returnToReady(offer.caller);
    }
  }

  private expireOffer(offer: OfferRec): void {
    const agent = offer.agent;
    this.emit({ type: 'offer-expired', offerId: offer.id, agentId: agent.id, callerId: offer.caller.id });
    agent.missedInRow++;
    if (agent.missedInRow >= this.config.maxMissedOffers) {
      agent.missedInRow = 0;
      this.closeOffer(offer, 'expired', 'away', false, 'missed-offers');
      this.emit({ type: 'agent-away', agentId: agent.id, reason: 'missed-offers' });
    } else {
      this.closeOffer(offer, 'expired', 'available');
    }
    this.returnToReady(offer.caller);
  }

  private findOffer(agentId: string, offerId: string): LobbyResult<OfferRec> {
    const agent = this.agents.byId.get(agentId);
    if (agent === undefined) return fail('not-found', `agent ${String(agentId)} is unknown`);
    const offer = this.offers.get(offerId);
    if (offer === undefined || offer.agent !== agent) {
      const closed = this.closedOffers.reasonFor(offerId, agent.id);
      if (closed === 'expired') return fail('expired', 'the offer expired');
      if (closed !== undefined) return fail('invalid-state', `the offer was already ${closed}`);
      return fail('not-found', `no offer ${String(offerId)} for agent ${agentId}`);
    }
    // Expired exactly at its deadline, even if the driver's tick has not run yet.
    if (this.clock() >= offer.expiresAt) return fail('expired', 'the offer expired');
    return { ok: true, value: offer, events: [] };
  }

  private endWrapUp(agent: AgentRec): void {
    this.stats.recordWrapUp(this.now - agent.wrapStartedAt);
    this.allDirty = true;
    this.changeAgent(agent, () => (agent.presence = 'available'));
  }

  private changeAgent(
    agent: AgentRec,
    mutate: () => void,
    keepIdleOrder = false,
    reason?: 'missed-offers',
  ): void {
    const before = agent.presence;
    const change = this.agents.change(agent, mutate, keepIdleOrder);
    if (agent.presence !== before) {
      this.emit({
        type: 'agent-presence',
        agentId: agent.id,
        presence: agent.presence,
        ...(reason === undefined ? {} : { reason }),
      });
    }
    if (change.becameIdle) this.newIdleAgents.add(agent);
    if (change.staffChanged) {
      this.allDirty = true;
      this.capacityCheckAll = true;
    }
  }

  // ───────────────────────────── line ─────────────────────────────

  private classFor(mode: CallMode, language: LanguageTag | null): CallerClass {
    const key = mode === 'text' || language === null ? 'text' : `video:${language}`;
    const existing = this.classes.get(key);
    if (existing !== undefined) return existing;
    if (this.classList.length >= MAX_IDLE_CLASSES) this.pruneEmptyClasses();
    const cls: CallerClass = {
      key,
      mode: key === 'text' ? 'text' : 'video',
      language: key === 'text' ? null : language,
      prefixes: key === 'text' || language === null ? [] : languagePrefixes(language),
      line: new OrderedIndex<CallerRec>(),
      ready: new OrderedIndex<CallerRec>(),
      bridgeReady: false,
      bridgeCapable: false,
      hadCapacity: false,
      competitors: [],
      directSigs: [],
      bridgeSigs: [],
      regionSigs: [],
    };
    this.classes.set(key, cls);
    this.classList.push(cls);
    for (const p of cls.prefixes) {
      const list = this.classesByPrefix.get(p);
      if (list === undefined) this.classesByPrefix.set(p, [cls]);
      else list.push(cls);
    }
    this.graphVersion++;
    this.updateBridge(cls);
    return cls;
  }

  /**
   * Drops video classes nobody is waiting in, so a stream of distinct (valid) tags cannot grow the
   * competition graph, which is rebuilt in O(classes²). A class is recreated when someone needs it.
   */
  private pruneEmptyClasses(): void {
    const keep = this.classList.filter((c) => c.language === null || c.line.size > 0);
    if (keep.length === this.classList.length) return;
    const dropped = new Set(this.classList.filter((c) => !keep.includes(c)));
    this.classList.length = 0;
    this.classList.push(...keep);
    for (const cls of dropped) {
      this.classes.delete(cls.key);
      this.bridgeReadyClasses.delete(cls);
      this.bridgeOpened.delete(cls);
      this.dirtyClasses.delete(cls);
      this.capacityCheck.delete(cls);
    }
    for (const [prefix, list] of this.classesByPrefix) {
      const left = list.filter((c) => !dropped.has(c));
      if (left.length === 0) this.classesByPrefix.delete(prefix);
      else this.classesByPrefix.set(prefix, left);
    }
    this.graphVersion++;
  }

  private addToLine(caller: CallerRec): void {
    caller.cls.line.insert(caller.key, caller);
    caller.cls.ready.insert(caller.key, caller);
    this.callers.set(caller.id, caller);
    this.countLanguage(caller, 1);
    this.newReadyCallers.add(caller);
    this.lineChanged(caller.cls);
  }

  private removeFromLine(caller: CallerRec): void {
    caller.cls.line.delete(caller.key);
    caller.cls.ready.delete(caller.key);
    this.callers.delete(caller.id);
    this.countLanguage(caller, -1);
    this.lineChanged(caller.cls);
  }

  private returnToReady(caller: CallerRec): void {
    if (this.callers.get(caller.id) !== caller) return;
    caller.cls.ready.insert(caller.key, caller);
    this.newReadyCallers.add(caller);
    this.dirtyClasses.add(caller.cls);
  }

  private countLanguage(caller: CallerRec, delta: 1 | -1): void {
    let counts = this.langCounts.get(caller.language);
    if (counts === undefined) {
      counts = { waiting: 0, text: 0, callback: 0 };
      this.langCounts.set(caller.language, counts);
    }
    counts.waiting += delta;
    if (caller.mode === 'text') counts.text += delta;
    if (caller.callback) counts.callback += delta;
  }

  private offerNoCapacity(caller: CallerRec): void {
    if (caller.noCapacityOffered || caller.callback) return;
    caller.noCapacityOffered = true;
    this.emit({
      type: 'fallback-available',
      callerId: caller.id,
      options: this.fallbackOptions(caller),
      reason: 'no-capacity',
    });
  }

  private fallbackOptions(caller: CallerRec): FallbackChoice[] {
    return caller.mode === 'video' ? ['wait', 'text', 'callback'] : ['wait', 'callback'];
  }

  /** Notices classes whose last eligible person went away and tells their callers once. */
  private checkCapacity(): void {
    if (!this.capacityCheckAll && this.capacityCheck.size === 0) return;
    const targets = this.capacityCheckAll ? this.classList : [...this.capacityCheck];
    this.capacityCheckAll = false;
    this.capacityCheck.clear();
    this.ensureGraph();
    for (const cls of targets) {
      const has = this.hasCapacity(cls);
      if (!has && cls.hadCapacity) for (const c of cls.line.values()) this.offerNoCapacity(c);
      cls.hadCapacity = has;
    }
  }

  private hasCapacity(cls: CallerClass): boolean {
    return classStaff(cls, this.volunteers.capableFor(cls.prefixes)) > 0;
  }

  // ───────────────────────────── bridging and volunteers ─────────────────────────────

  private changeVolunteer(v: VolunteerRec, mutate: () => void, keepIdleOrder = false): void {
    const { presence, inHours, ranges } = v;
    const change = this.volunteers.change(v, mutate, keepIdleOrder);
    // New hours may move "within hours" even for someone offline: their page shows it.
    if (v.presence !== presence || v.inHours !== inHours || v.ranges !== ranges) {
      this.emit({
        type: 'volunteer-presence',
        volunteerId: v.id,
        presence: v.presence,
        withinHours: this.withinHours(v),
      });
    }
    if (change.becameRingable) this.desk.volunteerRingable(v);
    for (const t of change.affectedTags)
      for (const cls of this.classesByPrefix.get(t) ?? []) this.updateBridge(cls);
  }

  private addDemand(language: LanguageTag, delta: 1 | -1): void {
    this.demand.set(language, (this.demand.get(language) ?? 0) + delta);
    const cls = this.classes.get(`video:${language}`);
    if (cls !== undefined) this.updateBridge(cls);
  }

  /**
   * Bridging a language is *ready* while more volunteers for it are free than bridged offers and
   * interpreter-less bridged calls already count on one; *capable* while any is online within hours.
   */
  private updateBridge(cls: CallerClass): void {
    if (cls.language === null) return;
    const ready = this.volunteers.freeFor(cls.prefixes) > (this.demand.get(cls.language) ?? 0);
    const capable = this.volunteers.capableFor(cls.prefixes) > 0;
    if (ready !== cls.bridgeReady) {
      cls.bridgeReady = ready;
      if (ready) {
        this.bridgeReadyClasses.add(cls);
        this.bridgeOpened.add(cls);
      } else {
        this.bridgeReadyClasses.delete(cls);
      }
    }
    if (capable !== cls.bridgeCapable) {
      cls.bridgeCapable = capable;
      this.graphVersion++;
      this.allDirty = true;
      this.capacityCheck.add(cls);
    }
    this.dirtyClasses.add(cls);
  }

  private findInvitation(volunteerId: string, invitationId: string): LobbyResult<InvitationRec> {
    const v = this.volunteers.byId.get(volunteerId);
    if (v === undefined) return fail('not-found', `volunteer ${String(volunteerId)} is unknown`);
    return this.desk.find(v, invitationId);
  }

  /** Closes a match: invitations cancelled, interpreter freed, bridge demand released. */
  private closeMatch(match: MatchRec): void {
    match.active = false;
    this.matches.delete(match.id);
    this.matchByCaller.delete(match.caller.id);
    this.desk.closeMatch(match);
  }

  private withinHours(v: VolunteerRec): boolean {
    return inRanges(v.ranges, this.calendar.minuteOfWeek(this.now));
  }

  /** Schedules the next time the volunteer's hours start or end, while they are online. */
  private scheduleHours(v: VolunteerRec): void {
    v.hoursToken++;
    if (!isVolunteerOnline(v)) return;
    const at = this.calendar.nextFlip(this.now, v.ranges);
    if (at !== null) this.deadlines.push(at, { kind: 'hours', volunteer: v, token: v.hoursToken });
  }

  // ───────────────────────────── deadlines ─────────────────────────────

  private isLive(d: Deadline): boolean {
    switch (d.kind) {
      case 'offer':
        return d.offer.active;
      case 'invitation':
        return d.invitation.active;
      case 'long-wait':
        return this.callers.get(d.caller.id) === d.caller && !d.caller.longWaitOffered && !d.caller.callback;
      case 'hours':
        return d.volunteer.hoursToken === d.token;
      case 'positions':
        return this.positionsScheduled && d.token === this.positionsToken;
    }
  }

  private handleDeadline(d: Deadline): void {
    switch (d.kind) {
      case 'offer':
        this.expireOffer(d.offer);
        return;
      case 'invitation':
        this.desk.withdraw(d.invitation, 'expired', 'available');
        return;
      case 'long-wait': {
        const caller = d.caller;
        // Mid-offer the options cannot be taken up; look again when the offer is decided.
        if (caller.offer !== null) {
          this.deadlines.push(caller.offer.expiresAt, d);
          return;
        }
        caller.longWaitOffered = true;
        this.emit({
          type: 'fallback-available',
          callerId: caller.id,
          options: this.fallbackOptions(caller),
          reason: 'long-wait',
        });
        return;
      }
      case 'hours': {
        const v = d.volunteer;
        this.changeVolunteer(v, () => (v.inHours = this.withinHours(v)));
        this.scheduleHours(v);
        return;
      }
      case 'positions':
        this.positionsScheduled = false;
        this.refreshPositions();
        return;
    }
  }

  // ───────────────────────────── positions and estimates ─────────────────────────────

  private ensureGraph(): void {
    if (
      this.builtGraphVersion === this.graphVersion &&
      this.builtAgentVersion === this.agents.structureVersion
    )
      return;
    rebuildCompetition(this.classList, this.agents.sigList());
    this.builtGraphVersion = this.graphVersion;
    this.builtAgentVersion = this.agents.structureVersion;
    this.allDirty = true;
  }

  /** Someone joined or left a class's line: everyone competing with that class may move. */
  private lineChanged(cls: CallerClass): void {
    if (this.allDirty) return;
    this.ensureGraph();
    if (this.allDirty) return;
    for (const c of cls.competitors) this.dirtyClasses.add(c);
  }

  private viewOf(caller: CallerRec): CallerView {
    return viewOf(caller, this.occupancyInputs(caller.cls), this.config.estimateStepMs);
  }

  private occupancyInputs(cls: CallerClass): ClassInputs {
    const spare =
      cls.language === null || cls.bridgeSigs.length === 0
        ? 0
        : Math.max(0, this.volunteers.freeFor(cls.prefixes) - (this.demand.get(cls.language) ?? 0));
    return {
      regionStaff: regionStaff(cls),
      classStaff: classStaff(cls, this.volunteers.capableFor(cls.prefixes)),
      classSpare: spare,
      region: this.stats.occupancy(),
      own: this.stats.occupancyFor(cls.key),
    };
  }

  private finishPositions(): void {
    if (!this.allDirty && this.dirtyClasses.size === 0) return;
    const interval = this.config.positionUpdateIntervalMs;
    if (interval === 0) {
      this.refreshPositions();
    } else if (!this.positionsScheduled) {
      this.positionsScheduled = true;
      this.deadlines.push(Math.max(this.now, this.lastPositionsAt + interval), {
        kind: 'positions',
        token: ++this.positionsToken,
      });
    }
  }

  /** Emits queue-position for every caller of the dirty classes whose shown values moved. */
  private refreshPositions(): void {
    this.ensureGraph();
    const targets = this.allDirty ? this.classList : [...this.dirtyClasses];
    this.allDirty = false;
    this.dirtyClasses.clear();
    this.lastPositionsAt = this.now;
    refreshClasses(
      targets,
      (cls) => this.occupancyInputs(cls),
      this.config.estimateStepMs,
      (caller, v) => {
        caller.shownPosition = v.position;
        caller.shownEstimate = v.estimatedWaitMs;
        this.emit({ type: 'queue-position', callerId: caller.id, ...v });
      },
    );
  }
}
