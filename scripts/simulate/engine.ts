// Discrete-event simulation of one or more days at the centre, driving the real Lobby with a simulated clock.
// The loop always advances to whichever comes first: the next simulated happening (an arrival, an agent
// answering, a call ending...) or the lobby's own nextDeadline(), exactly as a real driver would.
import { Lobby } from '../../server/src/lobby';
import type { LobbyEvent, LobbyResult, WaitEstimator } from '../../server/src/lobby';
import { Agenda } from './agenda';
import type { Rand } from './random';
import { exponential, mulberry32, weighted } from './random';
import { behaviourOf, DAY, DAY_START, HOUR, MINUTE, rosterOf, shiftAt, weeklyHours } from './scenario';
import { loadScenario } from './scenarioFile';
import type { Scenario, ShiftSpec } from './scenarioSchema';

export interface SimulateOptions {
  seed: number;
  /** Consecutive days from Monday 3 March 2025; shifts repeat daily, volunteers' hours weekly. Default 1. */
  days?: number;
  /** Default: scenarios/default.json. */
  scenario?: Scenario;
  /** The lobby's wait estimator (default: the lobby's own, 'adaptive'); it shows, it decides nothing. */
  waitEstimator?: WaitEstimator;
}

export interface CallRecord {
  id: string;
  language: string;
  /** 0 for the first simulated day. */
  day: number;
  shift: string;
  arrivedAt: number;
  /** The estimate shown when the caller joined the line (null: nobody could serve them then). */
  shownEstimateMs: number | null;
  matchedAt: number | null;
  leftAt: number | null;
  /** When the agent who answered finished the wrap-up: the end of the call's handle time. */
  handledUntil: number | null;
  interpreted: boolean;
  interpreterJoinedAt: number | null;
  interpreterGaveUp: boolean;
  fallback: 'wait' | 'text' | 'callback' | null;
}

export interface SimulationResult {
  seed: number;
  days: number;
  scenario: Scenario;
  calls: CallRecord[];
  counters: Map<string, number>;
  lobbyCalls: number;
  simulatedUntil: number;
  wallMs: number;
}

/** A shift's periods over `days` days, in ms after DAY_START, with overlapping or touching ones merged. */
export function shiftPeriods(shift: ShiftSpec, days: number): Array<[number, number]> {
  const all: Array<[number, number]> = [];
  for (let d = 0; d < days; d++)
    for (const [start, end] of shift.hours) all.push([d * DAY + start * HOUR, d * DAY + end * HOUR]);
  all.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const p of all) {
    const last = merged[merged.length - 1];
    if (last !== undefined && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else merged.push([p[0], p[1]]);
  }
  return merged;
}

export function simulate(options: SimulateOptions): SimulationResult {
  const wall0 = performance.now();
  const { seed } = options;
  const days = options.days ?? 1;
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be an integer >= 1, got ${days}`);
  const scenario = options.scenario ?? loadScenario();
  const behaviour = behaviourOf(scenario.behaviour);
  const languageMix = Object.entries(scenario.languageMix);
  const rand: Rand = mulberry32(seed);
  let now = DAY_START;
  const policy = scenario.lobby ?? {};
  const lobby = new Lobby(
    {
      ...(policy.offerTimeoutS !== undefined && { offerTimeoutMs: policy.offerTimeoutS * 1000 }),
      ...(policy.maxMissedOffers !== undefined && { maxMissedOffers: policy.maxMissedOffers }),
      ...(options.waitEstimator !== undefined && { waitEstimator: options.waitEstimator }),
    },
    () => now,
  );
  const agenda = new Agenda();
  const calls = new Map<string, CallRecord>();
  const counters = new Map<string, number>();
  const count = (key: string, n = 1) => counters.set(key, (counters.get(key) ?? 0) + n);
  const onShift = new Map<string, boolean>();
  const interpreterJoined = new Set<string>();
  const matchAgent = new Map<string, string>();
  const matchCaller = new Map<string, string>();
  const endedMatches = new Set<string>();
  let lobbyCalls = 0;

  /** Every lobby call goes through here: errors are expected (late answers) and only counted. */
  const use = <T>(label: string, r: LobbyResult<T>): { value: T } | undefined => {
    lobbyCalls++;
    if (!r.ok) {
      count(`${label}: ${r.error.code}`);
      return undefined;
    }
    handle(r.events);
    return { value: r.value };
  };

  const endCall = (matchId: string): void => {
    if (endedMatches.has(matchId)) return;
    const agentId = matchAgent.get(matchId);
    if (use('endMatch', lobby.endMatch(matchId)) === undefined || agentId === undefined) return;
    endedMatches.add(matchId);
    agenda.at(now + behaviour.wrapUpMs(rand), () => {
      const rec = calls.get(matchCaller.get(matchId) ?? '');
      if (rec !== undefined) rec.handledUntil = now;
      if (onShift.get(agentId) === true) use('finishWrapUp', lobby.finishWrapUp(agentId));
      else use('logOff', lobby.setAgentPresence(agentId, 'offline'));
    });
  };

  function handle(events: LobbyEvent[]): void {
    for (const e of events) {
      count(`event ${e.type}`);
      switch (e.type) {
        case 'offer': {
          const answer = behaviour.agentResponse(rand);
          if (answer.kind === 'accept') {
            agenda.at(now + answer.afterMs, () =>
              use('acceptOffer', lobby.acceptOffer(e.agentId, e.offerId)),
            );
          } else if (answer.kind === 'decline') {
            agenda.at(now + answer.afterMs, () =>
              use('declineOffer', lobby.declineOffer(e.agentId, e.offerId)),
            );
          }
          break;
        }
        case 'agent-away':
          agenda.at(now + behaviour.awayForMs(rand), () => {
            if (onShift.get(e.agentId) === true)
              use('backFromBreak', lobby.setAgentPresence(e.agentId, 'available'));
          });
          break;
        case 'matched': {
          const rec = calls.get(e.callerId);
          if (rec !== undefined) {
            rec.matchedAt = now;
            rec.interpreted = e.needsInterpreter;
          }
          matchAgent.set(e.matchId, e.agentId);
          matchCaller.set(e.matchId, e.callerId);
          if (e.needsInterpreter) {
            agenda.at(now + behaviour.interpreterGiveUpMs, () => {
              if (interpreterJoined.has(e.matchId) || endedMatches.has(e.matchId)) return;
              if (rec !== undefined) rec.interpreterGaveUp = true;
              endCall(e.matchId);
            });
          } else {
            agenda.at(now + behaviour.talkMs(rand, e.mode === 'text' ? 'text' : 'video'), () =>
              endCall(e.matchId),
            );
          }
          break;
        }
        case 'invitation': {
          const answer = behaviour.volunteerResponse(rand);
          if (answer.kind === 'accept') {
            agenda.at(now + answer.afterMs, () =>
              use('acceptInvitation', lobby.acceptInvitation(e.volunteerId, e.invitationId)),
            );
          } else if (answer.kind === 'decline') {
            agenda.at(now + answer.afterMs, () =>
              use('declineInvitation', lobby.declineInvitation(e.volunteerId, e.invitationId)),
            );
          }
          break;
        }
        case 'interpreter-joined': {
          interpreterJoined.add(e.matchId);
          const callerId = matchCaller.get(e.matchId);
          const rec = callerId === undefined ? undefined : calls.get(callerId);
          if (rec !== undefined) rec.interpreterJoinedAt = now;
          agenda.at(now + behaviour.talkMs(rand, 'interpreted'), () => endCall(e.matchId));
          break;
        }
        case 'fallback-available': {
          const rec = calls.get(e.callerId);
          const choice = behaviour.fallback(rand, e.reason, e.options);
          count(`fallback ${e.reason} → ${choice}`);
          if (rec !== undefined && rec.fallback === null) rec.fallback = choice;
          if (choice !== 'wait') {
            agenda.at(now + behaviour.fallbackChoiceMs, () =>
              use('chooseFallback', lobby.chooseFallback(e.callerId, choice)),
            );
          }
          break;
        }
        case 'caller-left': {
          const rec = calls.get(e.callerId);
          if (rec !== undefined) rec.leftAt = now;
          break;
        }
        default:
          break;
      }
    }
  }

  // Staff: agents log on and off with their shift; volunteers have the app open for a whole day or not.
  for (const shift of scenario.shifts) {
    const periods = shiftPeriods(shift, days);
    rosterOf(shift).forEach((a, i) => {
      const agentId = `${shift.name}-${i + 1}`;
      use('upsertAgent', lobby.upsertAgent({ agentId, languages: a.languages, shift: shift.name }));
      for (const [start, end] of periods) {
        agenda.at(DAY_START + start, () => {
          onShift.set(agentId, true);
          use('logOn', lobby.setAgentPresence(agentId, 'available'));
        });
        agenda.at(DAY_START + end, () => {
          onShift.set(agentId, false);
          // Mid-call the agent leaves after wrap-up (endCall sees onShift false).
          const r = lobby.setAgentPresence(agentId, 'offline');
          lobbyCalls++;
          if (r.ok) handle(r.events);
        });
      }
    });
  }
  const volunteerIds: string[] = [];
  for (const [language, n] of Object.entries(scenario.volunteers.pool)) {
    for (let i = 0; i < n; i++) {
      const volunteerId = `vol-${language}-${i + 1}`;
      volunteerIds.push(volunteerId);
      use(
        'upsertVolunteer',
        lobby.upsertVolunteer({
          volunteerId,
          languages: [language],
          weeklyHours: weeklyHours(rand, scenario.volunteers),
        }),
      );
      if (rand() < scenario.volunteers.onlineProbability)
        use('volunteerOn', lobby.setVolunteerPresence(volunteerId, 'available'));
    }
  }

  /** Opens or closes a volunteer's app at the start of a later day; one mid-call hangs up first. */
  const setVolunteerOnline = (volunteerId: string, online: boolean): void => {
    const presence = lobby.volunteerView(volunteerId)?.presence;
    if (online) {
      if (presence === 'offline') use('volunteerOn', lobby.setVolunteerPresence(volunteerId, 'available'));
    } else if (presence === 'in-call') {
      agenda.at(now + MINUTE, () => setVolunteerOnline(volunteerId, false));
    } else if (presence !== 'offline') {
      use('volunteerOff', lobby.setVolunteerPresence(volunteerId, 'offline'));
    }
  };

  // Arrivals: a Poisson process whose rate follows the hourly curve, the same curve every day.
  let n = 0;
  for (let day = 0; day < days; day++) {
    if (day > 0) {
      for (const volunteerId of volunteerIds) {
        const online = rand() < scenario.volunteers.onlineProbability;
        agenda.at(DAY_START + day * DAY, () => setVolunteerOnline(volunteerId, online));
      }
    }
    scenario.arrivalsPerHour.forEach((rate, hour) => {
      if (rate <= 0) return;
      let t = day * DAY + hour * HOUR;
      for (;;) {
        t += exponential(rand, HOUR / rate);
        if (t >= day * DAY + (hour + 1) * HOUR) break;
        const id = `caller-${++n}`;
        const language = weighted(rand, languageMix);
        const patience = behaviour.patienceMs(rand);
        const at = DAY_START + t;
        agenda.at(at, () => {
          const rec: CallRecord = {
            id,
            language,
            day,
            shift: shiftAt(scenario.shifts, hour),
            arrivedAt: now,
            shownEstimateMs: null,
            matchedAt: null,
            leftAt: null,
            handledUntil: null,
            interpreted: false,
            interpreterJoinedAt: null,
            interpreterGaveUp: false,
            fallback: null,
          };
          calls.set(id, rec);
          const view = use('enqueueCaller', lobby.enqueueCaller({ callerId: id, language, mode: 'video' }));
          rec.shownEstimateMs = view?.value.estimatedWaitMs ?? null;
          agenda.at(now + patience, () => {
            if (rec.matchedAt === null && rec.leftAt === null && rec.fallback !== 'callback') {
              use('abandon', lobby.cancelCaller(id, 'abandoned'));
            }
          });
        });
      }
    });
  }

  // Run until the line is empty after the last arrival, or three hours past midnight at the latest.
  const lastArrival = DAY_START + days * DAY;
  const hardStop = lastArrival + 3 * HOUR;
  // Run until the line is empty after the last arrival, or three hours past midnight at the latest.
  for (;;) {
    const nextHappening = agenda.peek();
    const nextDeadline = lobby.nextDeadline() ?? Number.POSITIVE_INFINITY;
    const t = Math.min(nextHappening, nextDeadline);
    if (t === Number.POSITIVE_INFINITY || t > hardStop) break;
    if (t > lastArrival && lobby.snapshot().callersWaiting === 0 && lobby.snapshot().activeMatches === 0)
      break;
    now = Math.max(now, t);
    if (nextDeadline <= nextHappening) {
      lobbyCalls++;
      handle(lobby.tick());
    } else {
      agenda.pop()?.run();
    }
  }
  return {
    seed,
    days,
    scenario,
    calls: [...calls.values()],
    counters,
    lobbyCalls,
    simulatedUntil: now,
    wallMs: performance.now() - wall0,
  };
}
