// How the simulated people behave, as functions of the scenario's numbers (scenarios/*.json). Each
// function draws from the shared random stream in a fixed order, so a scenario and a seed give one day.
import type { WeeklyHours } from '../../server/src/lobby';
import type { Rand } from './random';
import { logNormal, uniform, weighted } from './random';
import type { BehaviourSpec, Scenario, ShiftSpec } from './scenarioSchema';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Monday 3 March 2025, 00:00 in Seoul. */
export const DAY_START = Date.UTC(2025, 2, 2, 15, 0, 0);

export type TalkKind = 'video' | 'interpreted' | 'text';
export type FallbackReason = 'long-wait' | 'no-capacity';

export interface Behaviour {
  /** Agent answering an offer: accept after a few seconds, sometimes decline, sometimes miss it. */
  agentResponse(rand: Rand): { kind: 'accept' | 'decline' | 'miss'; afterMs: number };
  /** Break taken after being set away for missed offers. */
  awayForMs(rand: Rand): number;
  volunteerResponse(rand: Rand): { kind: 'accept' | 'decline' | 'ignore'; afterMs: number };
  talkMs(rand: Rand, kind: TalkKind): number;
  wrapUpMs(rand: Rand): number;
  /** How long a caller waits before hanging up. */
  patienceMs(rand: Rand): number;
  /** The agent gives up waiting for an interpreter after this long and ends the call. */
  interpreterGiveUpMs: number;
  /** Time between the fallback offer and the caller's choice of text or callback. */
  fallbackChoiceMs: number;
  fallback(rand: Rand, reason: FallbackReason, options: string[]): 'wait' | 'text' | 'callback';
}

const ms = (s: number): number => s * SECOND;
const between = (rand: Rand, [lo, hi]: readonly [number, number]): number => uniform(rand, ms(lo), ms(hi));

export function behaviourOf(spec: BehaviourSpec): Behaviour {
  const { agent, volunteer, talk, fallback } = spec;
  const agentKinds = [
    ['accept', agent.weights.accept],
    ['decline', agent.weights.decline],
    ['miss', agent.weights.miss],
  ] as const;
  const volunteerKinds = [
    ['accept', volunteer.weights.accept],
    ['decline', volunteer.weights.decline],
    ['ignore', volunteer.weights.ignore],
  ] as const;
  return {
    agentResponse(rand) {
      const kind = weighted(rand, agentKinds);
      // A miss draws a delay too (unused) so that every answer takes the same two draws.
      return { kind, afterMs: between(rand, kind === 'decline' ? agent.declineAfterS : agent.acceptAfterS) };
    },
    awayForMs: (rand) => between(rand, agent.awayForS),
    volunteerResponse(rand) {
      const kind = weighted(rand, volunteerKinds);
      return {
        kind,
        afterMs: between(rand, kind === 'accept' ? volunteer.acceptAfterS : volunteer.declineAfterS),
      };
    },
    talkMs(rand, kind) {
      const { medianS, sigma } = talk[kind];
      return Math.max(ms(talk.minS), logNormal(rand, ms(medianS), sigma));
    },
    wrapUpMs: (rand) => between(rand, spec.wrapUpS),
    patienceMs: (rand) => logNormal(rand, ms(spec.patience.medianS), spec.patience.sigma),
    interpreterGiveUpMs: ms(spec.interpreterGiveUpS),
    fallbackChoiceMs: ms(fallback.choiceAfterS),
    fallback(rand, reason, options) {
      const w = reason === 'no-capacity' ? fallback.noCapacity : fallback.longWait;
      return weighted(rand, [
        ['text', options.includes('text') ? w.text : 0],
        ['callback', w.callback],
        ['wait', w.wait],
      ] as const);
    },
  };
}

/** One entry per agent, in log-on order. */
export function rosterOf(shift: ShiftSpec): Array<{ languages: string[] }> {
  return shift.agents.flatMap((group) =>
    Array.from({ length: group.count }, () => ({ languages: group.languages })),
  );
}

/** A volunteer's weekly blocks, each on a random weekday. */
export function weeklyHours(rand: Rand, spec: Scenario['volunteers']): WeeklyHours[] {
  const [fewest, most] = spec.blocksPerWeek;
  const out: WeeklyHours[] = [];
  const n = fewest + Math.floor(rand() * (most - fewest + 1));
  for (let i = 0; i < n; i++) {
    const [start, end] = spec.blocks[Math.floor(rand() * spec.blocks.length)] as [string, string];
    out.push({ day: Math.floor(rand() * 7), start, end });
  }
  return out;
}

/** The shift whose hours hold this hour of the day (the first listed, if several), for grouping. */
export function shiftAt(shifts: readonly ShiftSpec[], hourOfDay: number): string {
  for (const s of shifts)
    for (const [start, end] of s.hours) if (hourOfDay >= start && hourOfDay < end) return s.name;
  return '(no shift)';
}
