// The matching engine. Pure: no timers, no I/O, time only from the injected clock. Every public
// mutating method validates first (a failed call changes nothing), then mutates, restores the
// matching invariant ("no idle agent could take a waiting caller") and returns the events the
// driver must relay. Rules and reasoning: README.md in this folder.
//
// The state lives in a few parts with one job each (README.md, "Internal parts"); this file keeps the
// public API, the input checks, the deadlines and the changes that span several parts.
import { AgentRoster, isIdleAgent, isOnlineAgent } from './agents';
import { BridgeCapacity } from './bridging';
import { inRanges, weeklyRanges } from './calendar';
import type { ZonedCalendar } from './calendar';
import { CallerClasses, keyFor } from './classes';
import { classStaff, regionStaff } from './competition';
import { resolveConfig } from './config';
import { DeadlineHeap } from './deadlines';
import { HandleTimeStats, patienceCurve } from './estimate';
import { buildInspection } from './inspection';
import { canonicalLanguage, canonicalStaffLanguages, primaryLanguage } from './languages';
import { InterpreterRinger } from './interpreters';
import { Matchmaker } from './matching';
import { OfferBook } from './offers';
import { PATIENCE_BANDS_MS, PatienceStats } from './patience';
import type { LineExit } from './patience';
import type { OfferEnd } from './offers';
import type { ClassInputs } from './positions';
import type {
  AgentRec,
  CallerClass,
  CallerRec,
  Deadline,
  InvitationRec,
  MatchRec,
  OfferRec,
  VolunteerRec,
} from './records';
import { installSnapshot, readSnapshot } from './restore';
import { isChosenAwayReason } from '../../../common/presence';
import { fail, isId, isRecord } from './results';
import type { ShiftCalendar } from './shifts';
import { writeSnapshot } from './snapshot';
import type { LobbyParts, LobbyStateSnapshot } from './snapshot';
import { PositionTracker } from './tracker';
import { Transaction } from './transaction';
import { isVolunteerOnline, VolunteerRoster } from './volunteers';
import type {
  AgentInput,
  AgentPresence,
  AwayReason,
  CallerView,
  ChosenAwayReason,
  VolunteerPresence,
  Clock,
  EnqueueInput,
  FallbackChoice,
  LobbyConfig,
  LobbyEvent,
  LobbyInspection,
  LanguageTag,
  LobbyResult,
  LobbySnapshot,
  VolunteerInput,
} from './types';

const SETTABLE_PRESENCE: ReadonlySet<string> = new Set(['available', 'away', 'offline']);
const FALLBACK_CHOICES: ReadonlySet<string> = new Set<FallbackChoice>(['wait', 'text', 'callback']);

export class Lobby {
  readonly config: Readonly<LobbyConfig>;
  private readonly calendar: ZonedCalendar;
  private readonly shiftCalendar: ShiftCalendar;
  private readonly agents: AgentRoster;
  private readonly volunteers = new VolunteerRoster();
  private readonly stats: HandleTimeStats;
  private readonly patience = new PatienceStats();
  private readonly deadlines: DeadlineHeap<Deadline>;
  private readonly ringer: InterpreterRinger;
  private readonly tx = new Transaction();
  private readonly classes: CallerClasses;
  private readonly tracker: PositionTracker;
  private readonly bridge: BridgeCapacity;
  private readonly book = new OfferBook();
  private readonly matcher: Matchmaker;

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
    // Told only after construction (the text class is made silently), so the parts below exist by then.
    this.classes = new CallerClasses({
      added: (cls) => {
        this.tracker.graphChanged();
        this.bridge.update(cls);
      },
      dropped: (classes) => {
        for (const cls of classes) {
          this.bridge.forget(cls);
          this.tx.forget(cls);
          this.tracker.forget(cls);
        }
        this.tracker.graphChanged();
      },
    });
    this.tracker = new PositionTracker(this.classes, this.agents, this.tx, {
      intervalMs: this.config.positionUpdateIntervalMs,
      estimateStepMs: this.config.estimateStepMs,
      inputsFor: (cls) => this.occupancyInputs(cls),
      schedule: (at, token) => this.deadlines.push(at, { kind: 'positions', token }),
    });
    this.bridge = new BridgeCapacity(this.volunteers, this.classes, this.tx, this.tracker);
    this.matcher = new Matchmaker(this.agents, this.classes, this.bridge);
    this.ringer = new InterpreterRinger(
      {
        ringBatch: this.config.volunteerRingBatch,
        invitationTimeoutMs: this.config.invitationTimeoutMs,
        now: () => this.tx.now,
        clock: () => this.clock(),
        emit: (e) => this.tx.emit(e),
        scheduleExpiry: (invitation) =>
          this.deadlines.push(invitation.expiresAt, { kind: 'invitation', invitation }),
        changeVolunteer: (v, mutate, keep) => this.changeVolunteer(v, mutate, keep),
        addDemand: (language, delta) => this.bridge.addDemand(language, delta),
      },
      this.volunteers,
    );
  }

  /**
   * Rebuilds a lobby from `snapshotState()` output (untrusted: a bad one throws TypeError/RangeError
   * and builds nothing). It runs under the snapshot's config; `config`, if given, is the one this
   * node expects and must resolve to the same, or the restore is refused.
   */
  static restore(state: unknown, config: Partial<LobbyConfig> | undefined, clock: Clock): Lobby {
    const checked = readSnapshot(state, config);
    const lobby = new Lobby(checked.config, clock);
    installSnapshot(lobby.parts(), checked.snapshot);
    return lobby;
  }

  // ───────────────────────────── callers ─────────────────────────────

  enqueueCaller(input: EnqueueInput): LobbyResult<CallerView> {
    if (!isRecord(input) || !isId(input.callerId))
      return fail('invalid-argument', 'callerId must be a non-empty string');
    const { callerId } = input;
    if (this.classes.callers.has(callerId))
      return fail('invalid-state', `caller ${callerId} is already in line`);
    if (this.book.isInCall(callerId)) return fail('invalid-state', `caller ${callerId} is already in a call`);
    const language = canonicalLanguage(input.language);
    if (language === null)
      return fail('invalid-language', `'${String(input.language)}' is not a valid BCP-47 tag`);
    if (input.mode !== 'video' && input.mode !== 'text')
      return fail('invalid-argument', "mode must be 'video' or 'text'");
    const priority = input.priority ?? 'normal';
    if (priority !== 'normal' && priority !== 'head')
      return fail('invalid-argument', "priority must be 'normal' or 'head'");

    const now = this.begin();
    const cls = this.classes.classFor(input.mode, language);
    const seq = this.classes.nextArrival();
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
      longWaitToken: 0,
      noCapacityOffered: false,
      shownPosition: 0,
      shownEstimate: null,
    };
    this.addToLine(caller);
    this.scheduleLongWait(caller, now + this.config.fallbackAfterMs);
    this.settle();
    this.tracker.ensureGraph();
    const hasCapacity = this.hasCapacity(cls);
    cls.hadCapacity = hasCapacity;
    if (!hasCapacity) this.offerNoCapacity(caller);
    const view = this.tracker.view(caller);
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
    const caller = this.classes.callers.get(callerId);
    if (caller === undefined) {
      if (this.book.isInCall(callerId))
        return fail('invalid-state', `caller ${callerId} is already connected`);
      return fail('not-found', `caller ${String(callerId)} is not in line`);
    }
    const now = this.begin();
    if (caller.offer !== null) this.withdrawOffer(caller.offer, 'caller-left');
    this.removeFromLine(caller);
    const waitedMs = now - caller.arrivedAt;
    this.learnPatience(caller, 'left');
    this.tx.emit({ type: 'caller-left', callerId, reason, waitedMs });
    return this.commit({ waitedMs });
  }

  /** Options after 'fallback-available' (accepted at any time while waiting without a pending offer). */
  chooseFallback(callerId: string, choice: FallbackChoice): LobbyResult<void> {
    if (!FALLBACK_CHOICES.has(choice))
      return fail('invalid-argument', "choice must be 'wait', 'text' or 'callback'");
    const caller = this.classes.callers.get(callerId);
    if (caller === undefined) return fail('not-found', `caller ${String(callerId)} is not in line`);
    if (caller.offer !== null) return fail('invalid-state', 'an agent is being offered this call right now');
    if (choice === 'text' && caller.mode === 'text')
      return fail('invalid-state', 'the caller is already in text chat');
    this.begin();
    if (choice === 'text') {
      // Same place in line (same key), now in the text class that any agent can take. For the class
      // left behind that is a caller gone unserved, like a hang-up.
      this.learnPatience(caller, 'moved');
      this.removeFromLine(caller);
      caller.mode = 'text';
      caller.cls = this.classes.text;
      this.addToLine(caller);
    } else if (choice === 'callback' && !caller.callback) {
      this.classes.chooseCallback(caller);
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
      if (isIdleAgent(agent)) this.tx.agentIdle(agent);
    }
    return this.commit(undefined);
  }

  /**
   * 'away'/'offline' during an offer withdraws it and the caller goes to the next agent. `reason`
   * (only with 'away') says why; away again with another reason changes the reason alone.
   */
  setAgentPresence(
    agentId: string,
    presence: 'available' | 'away' | 'offline',
    reason?: ChosenAwayReason,
  ): LobbyResult<void> {
    if (!SETTABLE_PRESENCE.has(presence))
      return fail('invalid-argument', "presence must be 'available', 'away' or 'offline'");
    if (reason !== undefined && (presence !== 'away' || !isChosenAwayReason(reason)))
      return fail('invalid-argument', 'reason must be a chosen away reason, and only with away');
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
      const awayReason = reason ?? null;
      if (agent.offer !== null) this.withdrawOffer(agent.offer, 'agent-left', presence, awayReason);
      if (from === 'wrap-up') this.stats.recordWrapUp(this.tx.now - agent.wrapStartedAt);
      if (agent.presence !== presence) {
        this.changeAgent(agent, () => {
          agent.presence = presence;
          agent.awayReason = awayReason;
        });
      } else if (presence === 'away' && agent.awayReason !== awayReason) {
        // Still away, for another reason: told like any change, so the time is split by reason.
        agent.awayReason = awayReason;
        this.tx.emit(presenceEvent(agent));
      }
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
    this.book.close(offer, 'accepted');
    this.learnPatience(caller, 'served');
    this.removeFromLine(caller);
    const match = this.book.openMatch(offer, now);
    this.changeAgent(agent, () => {
      agent.offer = null;
      agent.match = match;
      agent.presence = 'in-call';
      agent.missedInRow = 0;
    });
    this.tx.emit({
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
    if (match.awaiting) this.ringer.startAwaiting(match, false);
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
    const match = this.book.matches.get(matchId);
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
    this.tracker.markAllDirty(); // the averages moved
    return this.commit(undefined);
  }

  /**
   * The caller never came to the call: the match closes without a talk time (nothing was said, so
   * the estimates stay honest) and the agent is available again at once, with nothing to wrap up.
   */
  abandonMatch(matchId: string): LobbyResult<void> {
    const match = this.book.matches.get(matchId);
    if (match === undefined) return fail('not-found', `match ${String(matchId)} is not active`);
    this.begin();
    this.closeMatch(match);
    const agent = match.agent;
    this.changeAgent(agent, () => {
      agent.match = null;
      agent.presence = 'available';
    });
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
    const match = this.book.matches.get(matchId);
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
    caller.cls = this.classes.classFor(caller.mode, caller.mode === 'text' ? null : caller.language);
    caller.priority = 'head';
    caller.key = keyFor('head', caller.seq);
    caller.offer = null;
    this.addToLine(caller);
    const fallbackAt = caller.arrivedAt + this.config.fallbackAfterMs;
    if (!caller.longWaitOffered) this.scheduleLongWait(caller, Math.max(now, fallbackAt));
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
      if (existing.presence === 'available') this.ringer.volunteerRingable(existing);
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
      if (v.invitation !== null) this.ringer.withdraw(v.invitation, 'cancelled', presence);
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
    this.ringer.accept(found.value);
    return this.commit({ matchId: found.value.match.id });
  }

  /** Declined: that volunteer is not rung again for this call; one more is rung in their place. */
  declineInvitation(volunteerId: string, invitationId: string): LobbyResult<void> {
    const found = this.findInvitation(volunteerId, invitationId);
    if (!found.ok) return found;
    this.begin();
    this.ringer.decline(found.value);
    return this.commit(undefined);
  }

  /** The agent asks for an interpreter mid-call (optionally for another language): ring volunteers. */
  requestInterpreter(matchId: string, language?: string): LobbyResult<void> {
    const match = this.book.matches.get(matchId);
    if (match === undefined) return fail('not-found', `match ${String(matchId)} is not active`);
    if (match.interpreter !== null) return fail('invalid-state', 'an interpreter is already in the call');
    if (match.awaiting) return fail('invalid-state', 'already looking for an interpreter');
    const lang = language === undefined ? match.caller.language : canonicalLanguage(language);
    if (lang === null) return fail('invalid-language', `'${String(language)}' is not a valid BCP-47 tag`);
    this.begin();
    match.needsInterpreter = true;
    match.interpreterLanguage = lang;
    this.ringer.startAwaiting(match, true);
    return this.commit(undefined);
  }

  /** The interpreter dropped or was removed: the call goes on and others are rung. */
  /**
   * The interpreter is out of the call (dropped, removed, or left on purpose). With `lookForAnother`
   * false nobody is rung: the agent decides whether to ask for another interpreter.
   */
  interpreterLeft(matchId: string, lookForAnother = true): LobbyResult<void> {
    const match = this.book.matches.get(matchId);
    if (match === undefined) return fail('not-found', `match ${String(matchId)} is not active`);
    if (typeof lookForAnother !== 'boolean')
      return fail('invalid-argument', 'lookForAnother must be a boolean');
    const v = match.interpreter;
    if (v === null) return fail('invalid-state', 'no interpreter is in the call');
    this.begin();
    this.ringer.interpreterLeft(match, v, lookForAnother);
    return this.commit(undefined);
  }

  /** The agent stops looking for an interpreter (or removed one without replacing them). */
  cancelInterpreterSearch(matchId: string): LobbyResult<void> {
    const match = this.book.matches.get(matchId);
    if (match === undefined) return fail('not-found', `match ${String(matchId)} is not active`);
    if (!match.awaiting) return fail('invalid-state', 'not looking for an interpreter');
    this.begin();
    this.ringer.cancelSearch(match);
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
    this.tracker.finish();
    return this.tx.drain();
  }

  /** Earliest pending deadline, so the driver keeps a single timer. */
  nextDeadline(): number | null {
    return this.deadlines.peek()?.at ?? null;
  }

  /** Emits pending queue-position events now (useful with positionUpdateIntervalMs > 0). */
  flushPositions(): LobbyEvent[] {
    this.begin();
    this.tracker.refresh();
    return this.tx.drain();
  }

  // ───────────────────────────── read models ─────────────────────────────

  snapshot(): LobbySnapshot {
    const at = this.clock();
    const agentsOnlineByShift: Record<string, number> = {};
    for (const a of this.agents.byId.values()) {
      if (!isOnlineAgent(a)) continue;
      const shift = a.shift ?? '';
      agentsOnlineByShift[shift] = (agentsOnlineByShift[shift] ?? 0) + 1;
    }
    return {
      at,
      shift: this.shiftCalendar.shiftAt(this.calendar, at),
      callersWaiting: this.classes.callers.size,
      callersByLanguage: this.classes.countsByLanguage(),
      offersPending: this.book.offers.size,
      agentsByPresence: { ...this.agents.presenceCounts },
      agentsOnlineByShift,
      volunteersByPresence: { ...this.volunteers.presenceCounts },
      volunteersOnline: this.volunteers.onlineInHours,
      activeMatches: this.book.matches.size,
      matchesAwaitingInterpreter: this.ringer.awaitingCount,
      bridgeableLanguages: this.classes.bridgeableLanguages(),
    };
  }

  /**
   * The whole state as versioned JSON-ready data, for the replication log's periodic snapshots
   * (README.md, "Snapshots"). Unlike `snapshot()`, O(n): it lists every caller. Changes nothing.
   */
  snapshotState(): LobbyStateSnapshot {
    return writeSnapshot(this.parts());
  }

  /** Current position and (rounded) estimate; null when the caller is not in line. O(classes · log n). */
  callerView(callerId: string): CallerView | null {
    const caller = this.classes.callers.get(callerId);
    if (caller === undefined) return null;
    return this.tracker.view(caller);
  }

  /** An agent's state, as the one owner of it knows it. O(1). */
  agentView(agentId: string): { presence: AgentPresence; reason?: AwayReason } | null {
    const agent = this.agents.byId.get(agentId);
    if (agent === undefined) return null;
    return agent.awayReason === null
      ? { presence: agent.presence }
      : { presence: agent.presence, reason: agent.awayReason };
  }

  /** A volunteer's state and whether now is within their weekly hours (only then are they rung). O(1). */
  volunteerView(volunteerId: string): { presence: VolunteerPresence; withinHours: boolean } | null {
    const v = this.volunteers.byId.get(volunteerId);
    if (v === undefined) return null;
    return { presence: v.presence, withinHours: this.withinHours(v) };
  }

  /**
   * How long the caller who has waited longest has been in line, in ms (0 with nobody waiting);
   * for the metrics. O(n) without allocating: a requeued caller keeps their original arrival, so
   * no line's order is arrival order.
   */
  longestWaitMs(): number {
    let oldest = Infinity;
    for (const c of this.classes.callers.values()) if (c.arrivedAt < oldest) oldest = c.arrivedAt;
    return oldest === Infinity ? 0 : Math.max(0, this.clock() - oldest);
  }

  /**
   * The longest wait in line per caller language, in ms (only languages someone is waiting for),
   * for the supervisor's "now" table. O(n) like `longestWaitMs`, and for the same reason.
   */
  longestWaitByLanguage(): Record<LanguageTag, number> {
    const oldest = new Map<LanguageTag, number>();
    for (const c of this.classes.callers.values()) {
      const seen = oldest.get(c.language);
      if (seen === undefined || c.arrivedAt < seen) oldest.set(c.language, c.arrivedAt);
    }
    const now = this.clock();
    const out: Record<LanguageTag, number> = {};
    for (const [language, arrivedAt] of oldest) out[language] = Math.max(0, now - arrivedAt);
    return out;
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
      callers: this.classes.callers.values(),
      agents: this.agents.byId.values(),
      volunteers: this.volunteers.byId.values(),
      offers: this.book.offers.values(),
      matches: this.book.matches.values(),
      invitations: this.ringer.invitations.values(),
    });
  }

  // ───────────────────────────── call plumbing ─────────────────────────────

  private parts(): LobbyParts {
    return {
      config: this.config,
      tx: this.tx,
      classes: this.classes,
      agents: this.agents,
      volunteers: this.volunteers,
      book: this.book,
      ringer: this.ringer,
      bridge: this.bridge,
      stats: this.stats,
      patience: this.patience,
      tracker: this.tracker,
      deadlines: this.deadlines,
    };
  }

  private begin(): number {
    return this.tx.begin(this.clock());
  }

  private commit<T>(value: T): LobbyResult<T> {
    this.settle();
    this.tracker.finish();
    return { ok: true, value, events: this.tx.drain() };
  }

  // ───────────────────────────── matching ─────────────────────────────

  /** Restores the invariant after a mutation: offers, invitations, then capacity notices. */
  private settle(): void {
    for (;;) {
      if (this.tx.hasMatchWork()) {
        this.matchPass();
      } else if (this.ringer.hasWork()) {
        this.ringer.work();
      } else {
        break;
      }
    }
    this.checkCapacity();
  }

  /** One matching pass: offers the next pair until no source of new pairs yields one (matching.ts). */
  private matchPass(): void {
    const work = this.tx.takeMatchWork();
    for (let pair = this.matcher.nextPair(work); pair !== null; pair = this.matcher.nextPair(work)) {
      this.makeOffer(pair.caller, pair.agent, pair.bridged);
    }
  }

  private makeOffer(caller: CallerRec, agent: AgentRec, bridged: boolean): void {
    const now = this.tx.now;
    const offer = this.book.open(caller, agent, bridged, now, this.config.offerTimeoutMs);
    caller.cls.ready.delete(caller.key);
    this.changeAgent(agent, () => {
      agent.offer = offer;
      agent.presence = 'offered';
    });
    if (bridged) this.bridge.addDemand(caller.language, 1);
    this.deadlines.push(offer.expiresAt, { kind: 'offer', offer });
    this.tracker.markDirty(caller.cls);
    this.tx.emit({
      type: 'offer',
      offerId: offer.id,
      agentId: agent.id,
      callerId: caller.id,
      language: caller.language,
      mode: caller.mode,
      waitedMs: now - caller.arrivedAt,
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
    awayReason: AwayReason | null = null,
  ): void {
    const agent = offer.agent;
    this.book.close(offer, reason);
    this.changeAgent(
      agent,
      () => {
        agent.offer = null;
        agent.presence = next;
        agent.awayReason = awayReason;
      },
      keepIdleOrder,
    );
    if (offer.needsInterpreter) this.bridge.addDemand(offer.caller.language, -1);
    this.tracker.markDirty(offer.caller.cls);
  }

  private withdrawOffer(
    offer: OfferRec,
    reason: 'caller-left' | 'agent-left',
    agentNext?: AgentPresence,
    awayReason: AwayReason | null = null,
  ): void {
    this.tx.emit({ type: 'offer-withdrawn', offerId: offer.id, agentId: offer.agent.id, reason });
    if (reason === 'caller-left') {
      // Not the agent's doing: they keep their place among idle agents.
      this.closeOffer(offer, 'withdrawn', 'available', true);
    } else {
      this.closeOffer(offer, 'withdrawn', agentNext ?? 'away', false, awayReason);
      this.returnToReady(offer.caller);
    }
  }

  private expireOffer(offer: OfferRec): void {
    const agent = offer.agent;
    this.tx.emit({ type: 'offer-expired', offerId: offer.id, agentId: agent.id, callerId: offer.caller.id });
    agent.missedInRow++;
    if (agent.missedInRow >= this.config.maxMissedOffers) {
      agent.missedInRow = 0;
      this.closeOffer(offer, 'expired', 'away', false, 'missed-offers');
      this.tx.emit({ type: 'agent-away', agentId: agent.id, reason: 'missed-offers' });
    } else {
      this.closeOffer(offer, 'expired', 'available');
    }
    this.returnToReady(offer.caller);
  }

  private findOffer(agentId: string, offerId: string): LobbyResult<OfferRec> {
    const agent = this.agents.byId.get(agentId);
    if (agent === undefined) return fail('not-found', `agent ${String(agentId)} is unknown`);
    const offer = this.book.offers.get(offerId);
    if (offer === undefined || offer.agent !== agent) {
      const closed = this.book.closedReason(offerId, agent.id);
      if (closed === 'expired') return fail('expired', 'the offer expired');
      if (closed !== undefined) return fail('invalid-state', `the offer was already ${closed}`);
      return fail('not-found', `no offer ${String(offerId)} for agent ${agentId}`);
    }
    // Expired exactly at its deadline, even if the driver's tick has not run yet.
    if (this.clock() >= offer.expiresAt) return fail('expired', 'the offer expired');
    return { ok: true, value: offer, events: [] };
  }

  private endWrapUp(agent: AgentRec): void {
    this.stats.recordWrapUp(this.tx.now - agent.wrapStartedAt);
    this.tracker.markAllDirty();
    this.changeAgent(agent, () => (agent.presence = 'available'));
  }

  private changeAgent(agent: AgentRec, mutate: () => void, keepIdleOrder = false): void {
    const before = agent.presence;
    const change = this.agents.change(agent, mutate, keepIdleOrder);
    // A reason belongs to being away: leaving it forgets the reason.
    if (agent.presence !== 'away') agent.awayReason = null;
    if (agent.presence !== before) this.tx.emit(presenceEvent(agent));
    if (change.becameIdle) this.tx.agentIdle(agent);
    if (change.staffChanged) {
      this.tracker.markAllDirty();
      this.tx.checkAllCapacity();
    }
  }

  // ───────────────────────────── line and capacity ─────────────────────────────

  private addToLine(caller: CallerRec): void {
    this.classes.add(caller);
    this.tx.callerReady(caller);
    this.tracker.lineChanged(caller.cls);
  }

  private removeFromLine(caller: CallerRec): void {
    this.classes.remove(caller);
    this.tracker.lineChanged(caller.cls);
  }

  private returnToReady(caller: CallerRec): void {
    if (!this.classes.makeReady(caller)) return;
    this.tx.callerReady(caller);
    this.tracker.markDirty(caller.cls);
  }

  private offerNoCapacity(caller: CallerRec): void {
    if (caller.noCapacityOffered || caller.callback) return;
    caller.noCapacityOffered = true;
    this.tx.emit({
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
    const targets = this.tx.takeCapacityChecks(this.classes.list);
    if (targets === null) return;
    this.tracker.ensureGraph();
    for (const cls of targets) {
      const has = this.hasCapacity(cls);
      if (!has && cls.hadCapacity) for (const c of cls.line.values()) this.offerNoCapacity(c);
      cls.hadCapacity = has;
    }
  }

  private hasCapacity(cls: CallerClass): boolean {
    return classStaff(cls, this.volunteers.capableFor(cls.prefixes)) > 0;
  }

  // ───────────────────────────── volunteers ─────────────────────────────

  private changeVolunteer(v: VolunteerRec, mutate: () => void, keepIdleOrder = false): void {
    const { presence, inHours, ranges } = v;
    const change = this.volunteers.change(v, mutate, keepIdleOrder);
    // New hours may move "within hours" even for someone offline: their page shows it.
    if (v.presence !== presence || v.inHours !== inHours || v.ranges !== ranges) {
      this.tx.emit({
        type: 'volunteer-presence',
        volunteerId: v.id,
        presence: v.presence,
        withinHours: this.withinHours(v),
      });
    }
    if (change.becameRingable) this.ringer.volunteerRingable(v);
    this.bridge.volunteersChanged(change.affectedTags);
  }

  private findInvitation(volunteerId: string, invitationId: string): LobbyResult<InvitationRec> {
    const v = this.volunteers.byId.get(volunteerId);
    if (v === undefined) return fail('not-found', `volunteer ${String(volunteerId)} is unknown`);
    return this.ringer.find(v, invitationId);
  }

  /** Closes a match: invitations cancelled, interpreter freed, bridge demand released. */
  private closeMatch(match: MatchRec): void {
    this.book.closeMatch(match);
    this.ringer.closeMatch(match);
  }

  private withinHours(v: VolunteerRec): boolean {
    return inRanges(v.ranges, this.calendar.minuteOfWeek(this.tx.now));
  }

  /** Schedules the next time the volunteer's hours start or end, while they are online. */
  private scheduleHours(v: VolunteerRec): void {
    v.hoursToken++;
    if (!isVolunteerOnline(v)) return;
    const at = this.calendar.nextFlip(this.tx.now, v.ranges);
    if (at !== null) this.deadlines.push(at, { kind: 'hours', volunteer: v, token: v.hoursToken });
  }

  // ───────────────────────────── deadlines ─────────────────────────────

  /** The caller's one long-wait deadline from now on; any earlier one can never fire again. */
  private scheduleLongWait(caller: CallerRec, at: number): void {
    caller.longWaitToken += 1;
    this.deadlines.push(at, { kind: 'long-wait', caller, token: caller.longWaitToken });
  }

  private isLive(d: Deadline): boolean {
    switch (d.kind) {
      case 'offer':
        return d.offer.active;
      case 'invitation':
        return d.invitation.active;
      case 'long-wait':
        return (
          d.token === d.caller.longWaitToken &&
          this.classes.isWaiting(d.caller) &&
          !d.caller.longWaitOffered &&
          !d.caller.callback
        );
      case 'hours':
        return d.volunteer.hoursToken === d.token;
      case 'positions':
        return this.tracker.isDue(d.token);
    }
  }

  private handleDeadline(d: Deadline): void {
    switch (d.kind) {
      case 'offer':
        this.expireOffer(d.offer);
        return;
      case 'invitation':
        this.ringer.withdraw(d.invitation, 'expired', 'available');
        return;
      case 'long-wait': {
        const caller = d.caller;
        // Mid-offer the options cannot be taken up; look again when the offer is decided.
        if (caller.offer !== null) {
          this.deadlines.push(caller.offer.expiresAt, d);
          return;
        }
        caller.longWaitOffered = true;
        this.tx.emit({
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
        this.tracker.fire();
        return;
    }
  }

  // ───────────────────────────── estimates ─────────────────────────────

  /**
   * A caller leaves their class's line, served or not: what patience learns from. Not a caller who
   * chose a callback: they wait offline, and their long waits say nothing about hanging up.
   */
  private learnPatience(caller: CallerRec, exit: LineExit): void {
    if (!caller.callback) this.patience.record(caller.cls.key, this.tx.now - caller.arrivedAt, exit);
  }

  /** What the wait estimate needs about a class: staff who can take it, spare volunteers, averages. */
  private occupancyInputs(cls: CallerClass): ClassInputs {
    const adaptive = this.config.waitEstimator === 'adaptive';
    return {
      regionHazard: adaptive ? this.patience.hazard() : 0,
      ownHazard: adaptive ? this.patience.hazardFor(cls.key) : 0,
      patience: adaptive ? patienceCurve(PATIENCE_BANDS_MS, this.patience.bandHazards()) : null,
      regionStaff: regionStaff(cls),
      classStaff: classStaff(cls, this.volunteers.capableFor(cls.prefixes)),
      classSpare: cls.bridgeSigs.length === 0 ? 0 : this.bridge.spare(cls),
      region: this.stats.occupancy(),
      own: this.stats.occupancyFor(cls.key),
    };
  }
}

/** An agent's state as told to the driver: with the reason when away for one. */
function presenceEvent(agent: AgentRec): LobbyEvent {
  return agent.awayReason === null
    ? { type: 'agent-presence', agentId: agent.id, presence: agent.presence }
    : { type: 'agent-presence', agentId: agent.id, presence: agent.presence, reason: agent.awayReason };
}
