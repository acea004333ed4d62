// The simulated centre: demand, languages, staffing and how people behave. Numbers are plausible
// assumptions for a Korean citizens' relay line (Gyeonggi 120 staffing), not measurements.
import type { WeeklyHours } from '../../server/src/lobby';
import type { Rand } from './random';
import { logNormal, uniform, weighted } from './random';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Monday 3 March 2025, 00:00 in Seoul. */
export const DAY_START = Date.UTC(2025, 2, 2, 15, 0, 0);

/** Expected arrivals per hour of the day (local time): quiet nights, office-hours peaks. */
export const ARRIVALS_PER_HOUR = [
  18, 12, 9, 7, 6, 8, 12, 25, 45, 250, 370, 390, 290, 320, 380, 370, 330, 250, 95, 80, 70, 55, 40, 28,
];

/** 70% Korean, 10% Korean Sign Language, 20% spread over other languages (two with no volunteer at all). */
export const LANGUAGE_MIX: ReadonlyArray<readonly [string, number]> = [
  ['ko', 70],
  ['kvk', 10],
  ['vi', 4],
  ['zh-CN', 3.5],
  ['en', 2.5],
  ['th', 1.5],
  ['tl', 1.2],
  ['km', 1],
  ['mn', 1],
  ['ru', 1],
  ['ja', 1],
  ['uz', 0.9],
  ['ne', 0.8],
  ['id', 0.8],
  ['my', 0.4],
  ['si', 0.4],
];

export interface ShiftPlan {
  name: string;
  /** Offsets from DAY_START in ms; the late-night shift also covers the drain after midnight. */
  periods: Array<[number, number]>;
  agents: Array<{ languages: string[] }>;
}

function roster(total: number, extras: Array<[string[], number]>): Array<{ languages: string[] }> {
  const out: Array<{ languages: string[] }> = [];
  for (const [langs, n] of extras) for (let i = 0; i < n; i++) out.push({ languages: ['ko', ...langs] });
  while (out.length < total) out.push({ languages: ['ko'] });
  return out;
}

export const SHIFTS: ShiftPlan[] = [
  {
    name: 'late-night',
    periods: [
      [0, 9 * HOUR],
      [24 * HOUR, 33 * HOUR],
    ],
    agents: roster(6, [
      [['kvk'], 1],
      [['en'], 1],
    ]),
  },
  {
    name: 'day',
    periods: [[9 * HOUR, 18 * HOUR]],
    agents: roster(49, [
      [['kvk'], 8],
      [['en'], 3],
      [['zh'], 2],
      [['en', 'ja'], 1],
    ]),
  },
  {
    name: 'night',
    periods: [[18 * HOUR, 24 * HOUR]],
    agents: roster(10, [
      [['kvk'], 2],
      [['en'], 1],
    ]),
  },
];

/** How many volunteers of each language are registered (zh volunteers declare plain 'zh'). */
export const VOLUNTEER_POOL: ReadonlyArray<readonly [string, number]> = [
  ['vi', 30],
  ['zh', 20],
  ['en', 15],
  ['th', 12],
  ['tl', 10],
  ['km', 8],
  ['mn', 8],
  ['ru', 10],
  ['ja', 8],
  ['uz', 8],
  ['ne', 6],
  ['id', 8],
  ['kvk', 12],
];

/** 2–4 weekly blocks per volunteer: evenings, lunchtimes, mornings, afternoons or weekends. */
export function weeklyHours(rand: Rand): WeeklyHours[] {
  const blocks: Array<[string, string]> = [
    ['19:00', '22:00'],
    ['12:00', '14:00'],
    ['09:00', '12:00'],
    ['14:00', '18:00'],
    ['20:00', '24:00'],
    ['10:00', '17:00'],
  ];
  const out: WeeklyHours[] = [];
  const n = 2 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) {
    const [start, end] = blocks[Math.floor(rand() * blocks.length)] as [string, string];
    out.push({ day: Math.floor(rand() * 7), start, end });
  }
  return out;
}

/** Probability a registered volunteer has the app open today. */
export const VOLUNTEER_ONLINE = 0.75;

export const behaviour = {
  /** Agent answering an offer: accept after a few seconds, sometimes decline, sometimes miss it. */
  agentResponse(rand: Rand): { kind: 'accept' | 'decline' | 'miss'; afterMs: number } {
    const kind = weighted(rand, [
      ['accept', 92],
      ['decline', 3],
      ['miss', 5],
    ] as const);
    return { kind, afterMs: kind === 'decline' ? uniform(rand, 2_000, 6_000) : uniform(rand, 2_000, 8_000) };
  },
  /** Break taken after being set away for missed offers. */
  awayForMs: (rand: Rand) => uniform(rand, 60_000, 300_000),
  volunteerResponse(rand: Rand): { kind: 'accept' | 'decline' | 'ignore'; afterMs: number } {
    const kind = weighted(rand, [
      ['accept', 55],
      ['decline', 15],
      ['ignore', 30],
    ] as const);
    return { kind, afterMs: kind === 'accept' ? uniform(rand, 4_000, 40_000) : uniform(rand, 3_000, 15_000) };
  },
  talkMs(rand: Rand, kind: 'video' | 'interpreted' | 'text'): number {
    const median = kind === 'video' ? 4.5 * MINUTE : kind === 'interpreted' ? 7 * MINUTE : 6 * MINUTE;
    return Math.max(30_000, logNormal(rand, median, 0.5));
  },
  wrapUpMs: (rand: Rand) => uniform(rand, 30_000, 60_000),
  /** How long a caller waits before hanging up. */
  patienceMs: (rand: Rand) => logNormal(rand, 4 * MINUTE, 0.8),
  /** The agent gives up waiting for an interpreter after this long and ends the call. */
  interpreterGiveUpMs: 5 * MINUTE,
  fallback(rand: Rand, reason: 'long-wait' | 'no-capacity', options: string[]): 'wait' | 'text' | 'callback' {
    const text = options.includes('text') ? (reason === 'no-capacity' ? 45 : 15) : 0;
    return weighted(rand, [
      ['text', text],
      ['callback', reason === 'no-capacity' ? 35 : 15],
      ['wait', reason === 'no-capacity' ? 20 : 70],
    ] as const);
  },
};
