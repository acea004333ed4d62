import { describe, expect, it } from 'vitest';
import {
  clippedMs,
  occupancyOf,
  presenceFigures,
  type StaffInterval,
} from '../../server/src/presence/presenceFigures';

const M = 60_000;

describe('clipping an interval to a range', () => {
  it('keeps the part inside [from, to), an open one up to now', () => {
    expect(clippedMs({ start: 0, end: 10 * M }, 2 * M, 5 * M, 99 * M)).toBe(3 * M);
    expect(clippedMs({ start: 3 * M, end: 4 * M }, 0, 10 * M, 99 * M)).toBe(M);
    expect(clippedMs({ start: 0, end: 2 * M }, 2 * M, 5 * M, 99 * M)).toBe(0);
    expect(clippedMs({ start: 6 * M, end: 8 * M }, 2 * M, 5 * M, 99 * M)).toBe(0);
    // Open: until now (7), within the range's end (10).
    expect(clippedMs({ start: 4 * M, end: null }, 0, 10 * M, 7 * M)).toBe(3 * M);
    // Open, now past the range: until the range's end.
    expect(clippedMs({ start: 4 * M, end: null }, 0, 10 * M, 30 * M)).toBe(6 * M);
  });
});

describe('occupancy', () => {
  it('agents: (in call + wrap-up) / (available + offered + in call + wrap-up), over that time', () => {
    // 30 + 10 busy over 30 + 10 + 50 + 10 = 100 staffed; away and offline do not count.
    const byState = {
      'in-call': 30 * M,
      'wrap-up': 10 * M,
      available: 50 * M,
      offered: 10 * M,
      away: 60 * M,
    };
    expect(occupancyOf(byState, 'agent')).toEqual({ value: 0.4, n: 100 * M });
    expect(occupancyOf({ away: M }, 'agent')).toEqual({ value: null, n: 0 });
  });
  it('volunteers: in call / (available + invited + in call)', () => {
    expect(occupancyOf({ 'in-call': 15 * M, invited: 5 * M, available: 30 * M }, 'volunteer')).toEqual({
      value: 0.3,
      n: 50 * M,
    });
  });
});

describe('presence figures for a range', () => {
  const base = { name: 'Kim', role: 'agent' as const, reason: null };
  const kim = (
    state: string,
    start: number,
    end: number | null,
    reason: string | null = null,
  ): StaffInterval => ({
    ...base,
    accountId: 'a1',
    state,
    start: start * M,
    end: end === null ? null : end * M,
    reason,
  });

  it('sums time away per reason and per agent, clipping the edges by hand', () => {
    // Range 10–70 min, now 60 min. Lee's totals are wholly inside (already summed by the store).
    const figures = presenceFigures({
      from: 10 * M,
      to: 70 * M,
      now: 60 * M,
      totals: [
        { ...base, accountId: 'a2', name: 'Lee', state: 'away', reason: 'break', ms: 15 * M, intervals: 2 },
        { ...base, accountId: 'a2', name: 'Lee', state: 'in-call', reason: null, ms: 20 * M, intervals: 1 },
        { ...base, accountId: 'a2', name: 'Lee', state: 'available', reason: null, ms: 5 * M, intervals: 1 },
      ],
      edges: [
        kim('available', 0, 20), // 10 in range
        kim('away', 45, null, 'after-difficult-call'), // open: 45–60 = 15
        kim('in-call', 20, 45), // wholly inside, given as an edge: still counted once, 25
      ],
    });
    expect(figures.awayByReason).toEqual([
      { reason: 'break', ms: 15 * M, intervals: 2 },
      { reason: 'meal', ms: 0, intervals: 0 },
      { reason: 'training', ms: 0, intervals: 0 },
      { reason: 'meeting', ms: 0, intervals: 0 },
      { reason: 'after-difficult-call', ms: 15 * M, intervals: 1 },
      { reason: 'missed-offers', ms: 0, intervals: 0 },
    ]);
    expect(figures.staff.map((s) => [s.name, s.msByState, s.awayByReason, s.occupancy])).toEqual([
      [
        'Kim',
        { available: 10 * M, away: 15 * M, 'in-call': 25 * M },
        { 'after-difficult-call': 15 * M },
        { value: 25 / 35, n: 35 * M },
      ],
      [
        'Lee',
        { away: 15 * M, 'in-call': 20 * M, available: 5 * M },
        { break: 15 * M },
        { value: 20 / 25, n: 25 * M },
      ],
    ]);
    // All agents together: 45 busy of 60 staffed.
    expect(figures.occupancy).toEqual({ value: 45 / 60, n: 60 * M });
  });

  it('away without a reason is "unspecified"', () => {
    const figures = presenceFigures({
      from: 0,
      to: 10 * M,
      now: 10 * M,
      totals: [],
      edges: [kim('away', 0, 4)],
    });
    expect(figures.awayByReason.at(-1)).toEqual({ reason: 'unspecified', ms: 4 * M, intervals: 1 });
    expect(figures.staff[0]?.awayByReason).toEqual({ unspecified: 4 * M });
  });
});
