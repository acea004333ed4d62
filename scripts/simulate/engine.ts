// Discrete-event simulation of one day at the centre, driving the real Lobby with a simulated clock.
// The loop always advances to whichever comes first: the next simulated happening (an arrival, an agent
// answering, a call ending...) or the lobby's own nextDeadline(), exactly as a real driver would.
import { Lobby } from '../../server/src/lobby';
import type { LobbyEvent, LobbyResult } from '../../server/src/lobby';
import type { Rand } from './random';
import { exponential, mulberry32, weighted } from './random';
import {
  ARRIVALS_PER_HOUR,
  behaviour,
  DAY_START,
  HOUR,
  LANGUAGE_MIX,
  SHIFTS,
  VOLUNTEER_ONLINE,
  VOLUNTEER_POOL,
  weeklyHours,
} from './scenario';

export interface CallRecord {
  id: string;
  language: string;
  shift: string;
  arrivedAt: number;
  /** The estimate shown when the caller joined the line (null: nobody could serve them then). */
  shownEstimateMs: number | null;
  matchedAt: number | null;
  leftAt: number | null;
  interpreted: boolean;
  interpreterJoinedAt: number | null;
  interpreterGaveUp: boolean;
  fallback: 'wait' | 'text' | 'callback' | null;
}

export interface SimulationResult {
  seed: number;
  calls: CallRecord[];
  counters: Map<string, number>;
  lobbyCalls: number;
  simulatedUntil: number;
  wallMs: number;
}

interface Happening {
  at: number;
  seq: number;
  run: () => void;
}

/** Binary min-heap of simulated happenings, by time then insertion order (determinism). */
class Agenda {
  private readonly heap: Happening[] = [];
  private seq = 0;

  at(at: number, run: () => void): void {
    const h = this.heap;
    h.push({ at, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i] as Happening, h[p] as Happening)) break;
      [h[i], h[p]] = [h[p] as Happening, h[i] as Happening];
      i = p;
    }
  }

  peek(): number {
    return this.heap[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  pop(): Happening | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l] as Happening, h[m] as Happening)) m = l;
      if (r < h.length && this.less(h[r] as Happening, h[m] as Happening)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m] as Happening, h[i] as Happening];
      i = m;
    }
    return top;
  }

  private less(a: Happening, b: Happening): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

export function shiftOfHour(hour: number): string {
  return hour < 9 ? 'late-night' : hour < 18 ? 'day' : 'night';
}

export function simulate(seed: number): SimulationResult {
  const wall0 = performance.now();
  const rand: Rand = mulberry32(seed);
  let now = DAY_START;
  const lobby = new Lobby({}, () => now);
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
            agenda.at(now + 5_000, () => use('chooseFallback', lobby.chooseFallback(e.callerId, choice)));
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

  // Staff: agents log on and off with their shift; volunteers either have the app open all day or not.
  for (const shift of SHIFTS) {
    shift.agents.forEach((a, i) => {
      const agentId = `${shift.name}-${i + 1}`;
      use('upsertAgent', lobby.upsertAgent({ agentId, languages: a.languages, shift: shift.name }));
      for (const [start, end] of shift.periods) {
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
  for (const [language, n] of VOLUNTEER_POOL) {
    for (let i = 0; i < n; i++) {
      const volunteerId = `vol-${language}-${i + 1}`;
      use(
        'upsertVolunteer',
        lobby.upsertVolunteer({ volunteerId, languages: [language], weeklyHours: weeklyHours(rand) }),
      );
      if (rand() < VOLUNTEER_ONLINE) use('volunteerOn', lobby.setVolunteerPresence(volunteerId, 'available'));
    }
  }

  // Arrivals: a Poisson process whose rate follows the hourly curve.
  let n = 0;
  ARRIVALS_PER_HOUR.forEach((rate, hour) => {
    let t = hour * HOUR;
    for (;;) {
      t += exponential(rand, HOUR / rate);
      if (t >= (hour + 1) * HOUR) break;
      const id = `caller-${++n}`;
      const language = weighted(rand, LANGUAGE_MIX);
      const patience = behaviour.patienceMs(rand);
      const at = DAY_START + t;
      agenda.at(at, () => {
        const rec: CallRecord = {
          id,
          language,
          shift: shiftOfHour(hour),
          arrivedAt: now,
          shownEstimateMs: null,
          matchedAt: null,
          leftAt: null,
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

  // Run until the line is empty after the last arrival, or three hours past midnight at the latest.
  const hardStop = DAY_START + 27 * HOUR;
  const lastArrival = DAY_START + 24 * HOUR;
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
    calls: [...calls.values()],
    counters,
    lobbyCalls,
    simulatedUntil: now,
    wallMs: performance.now() - wall0,
  };
}
