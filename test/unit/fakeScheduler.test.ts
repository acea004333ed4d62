import { describe, expect, it } from 'vitest';
import { FakeScheduler } from '../helpers/FakeScheduler';

describe('FakeScheduler', () => {
  it('runs due timers in order, each at its own instant, including ones set while advancing', () => {
    const s = new FakeScheduler(1000);
    const seen: Array<[string, number]> = [];
    s.after(30, () => seen.push(['b', s.now()]));
    s.after(10, () => {
      seen.push(['a', s.now()]);
      s.after(5, () => seen.push(['a2', s.now()]));
    });
    const cancelled = s.after(20, () => seen.push(['never', s.now()]));
    cancelled.cancel();
    s.advance(25);
    expect(seen).toEqual([
      ['a', 1010],
      ['a2', 1015],
    ]);
    expect(s.now()).toBe(1025);
    s.advance(5);
    expect(seen.at(-1)).toEqual(['b', 1030]);
    expect(s.pending).toBe(0);
  });
});
