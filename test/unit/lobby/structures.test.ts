import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minutesToNextFlip, weeklyRanges, ZonedCalendar } from '../../../server/src/lobby/calendar';
import { DeadlineHeap } from '../../../server/src/lobby/deadlines';
import { OrderedIndex } from '../../../server/src/lobby/ordered';
import { ClosedLog } from '../../../server/src/lobby/results';

describe('OrderedIndex (order-statistics treap)', () => {
  it('agrees with a sorted array on insert, delete, min, rank and order', () => {
    const op = fc.oneof(
      fc.record({ insert: fc.integer({ min: 0, max: 500 }) }),
      fc.record({ remove: fc.integer({ min: 0, max: 500 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 0, max: 500 }), (ops, probe) => {
        const tree = new OrderedIndex<number>();
        const model: number[] = [];
        for (const o of ops) {
          if ('insert' in o) {
            if (model.includes(o.insert)) continue; // keys are unique by contract
            tree.insert(o.insert, o.insert * 10);
            model.push(o.insert);
            model.sort((a, b) => a - b);
          } else {
            const had = model.includes(o.remove);
            expect(tree.delete(o.remove)).toBe(had);
            if (had) model.splice(model.indexOf(o.remove), 1);
          }
        }
        expect(tree.size).toBe(model.length);
        expect(tree.keys()).toEqual(model);
        expect(tree.min()).toBe(model[0] === undefined ? undefined : model[0] * 10);
        expect(tree.rank(probe)).toBe(model.filter((k) => k < probe).length);
        expect(tree.first(3)).toEqual(model.slice(0, 3).map((k) => k * 10));
      }),
      { numRuns: 200 },
    );
  });
});

describe('DeadlineHeap', () => {
  it('pops due live entries in time order and skips stale ones', () => {
    const dead = new Set<string>(['b']);
    const heap = new DeadlineHeap<string>((x) => !dead.has(x));
    heap.push(30, 'c');
    heap.push(10, 'a');
    heap.push(20, 'b');
    heap.push(10, 'a2');
    expect(heap.peek()?.item).toBe('a');
    expect(heap.popDue(5)).toBeUndefined();
    expect([heap.popDue(25)?.item, heap.popDue(25)?.item, heap.popDue(25)?.item]).toEqual([
      'a',
      'a2',
      undefined,
    ]);
    expect(heap.peek()).toMatchObject({ at: 30, item: 'c' });
  });
});

describe('weekly hours and time zones', () => {
  it('merges ranges and finds the next real flip', () => {
    const r = weeklyRanges([
      { day: 0, start: '22:00', end: '24:00' },
      { day: 1, start: '00:00', end: '02:00' },
      { day: 1, start: '01:00', end: '03:00' },
    ]);
    expect(r).toEqual({ ok: true, ranges: [{ start: 1320, end: 1620 }] });
    if (!r.ok) return;
    expect(minutesToNextFlip(r.ranges, 0)).toBe(1320); // Sunday 00:00 → Sunday 22:00
    expect(minutesToNextFlip(r.ranges, 1400)).toBe(220); // inside → Monday 03:00
    expect(minutesToNextFlip([], 0)).toBeNull();
    expect(minutesToNextFlip([{ start: 0, end: 10080 }], 5)).toBeNull();
  });

  it('computes local time in the zone and lands on the right local minute across a DST change', () => {
    const seoul = new ZonedCalendar('Asia/Seoul');
    expect(seoul.minuteOfWeek(Date.UTC(2025, 2, 3, 1, 0))).toBe(1 * 1440 + 600); // Monday 10:00 KST
    // New York springs forward on Sunday 9 March 2025 at 02:00 (EST → EDT).
    const ny = new ZonedCalendar('America/New_York');
    const r = weeklyRanges([{ day: 0, start: '09:00', end: '10:00' }]);
    if (!r.ok) throw new Error('bad ranges');
    const saturdayNoon = Date.UTC(2025, 2, 8, 17, 0); // 12:00 EST
    const flip = ny.nextFlip(saturdayNoon, r.ranges);
    expect(flip).toBe(Date.UTC(2025, 2, 9, 13, 0)); // Sunday 09:00 EDT = 13:00 UTC
  });
});

describe('ClosedLog (how recently closed offers ended)', () => {
  it('agrees with a plain list that forgets its oldest, through eviction, updates and a reload', () => {
    const op = fc.record({
      id: fc.integer({ min: 0, max: 40 }).map((n) => `offer-${n}`),
      owner: fc.constantFrom('a1', 'a2'),
      reason: fc.constantFrom('expired', 'declined'),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 200 }), (limit, ops) => {
        const log = new ClosedLog<string>(limit);
        const model: Array<{ id: string; ownerId: string; reason: string }> = [];
        for (const { id, owner, reason } of ops) {
          log.set(id, owner, reason);
          const known = model.find((e) => e.id === id);
          if (known) Object.assign(known, { ownerId: owner, reason });
          else {
            if (model.length === limit) model.shift();
            model.push({ id, ownerId: owner, reason });
          }
        }
        expect(log.entries()).toEqual(model);
        for (const e of model) {
          expect(log.reasonFor(e.id, e.ownerId)).toBe(e.reason);
          expect(log.reasonFor(e.id, e.ownerId === 'a1' ? 'a2' : 'a1')).toBeUndefined();
        }
        const reloaded = new ClosedLog<string>(limit);
        reloaded.load(log.entries());
        expect(reloaded.entries()).toEqual(model);
      }),
    );
  });
});
