// The rule that puts a new call on a node: examples, then its invariants over random clusters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type NodeLoad,
  pickHost,
  SATURATED_CPU_PER_WORKER,
} from '../../../server/src/cluster/media/hostChoice';

const NOW = 1_000_000;
const load = (nodeId: string, over: Partial<NodeLoad> = {}): NodeLoad => ({
  nodeId,
  routers: 0,
  consumers: 0,
  workers: 2,
  workerCpu: 0,
  draining: false,
  at: NOW - 500,
  ...over,
});
const choose = (loads: NodeLoad[], placed: Record<string, number> = {}) =>
  pickHost({ loads, now: NOW, staleAfterMs: 6000, placedSince: (id) => placed[id] ?? 0 });

describe('choosing the node for a new call', () => {
  it('takes the node with the fewest calls per worker', () => {
    expect(choose([load('a', { routers: 3 }), load('b', { routers: 1 }), load('c', { routers: 2 })])).toBe(
      'b',
    );
    // Four calls on four workers is lighter than three on two.
    expect(choose([load('a', { routers: 3 }), load('b', { routers: 4, workers: 4 })])).toBe('b');
  });

  it('counts the calls placed since a node last reported', () => {
    expect(choose([load('a'), load('b', { routers: 1 })], { a: 2 })).toBe('b');
  });

  it('breaks ties by worker CPU, then consumers, then node id', () => {
    expect(choose([load('a', { workerCpu: 0.8 }), load('b', { workerCpu: 0.2 })])).toBe('b');
    // Idle workers' noise (a few thousandths of a core) is not a difference.
    expect(choose([load('b', { workerCpu: 0.001 }), load('a', { workerCpu: 0.009 })])).toBe('a');
    expect(choose([load('a', { consumers: 9 }), load('b', { consumers: 3 })])).toBe('b');
    expect(choose([load('b'), load('a')])).toBe('a');
  });

  it('never chooses a draining node, a silent one, or one without workers', () => {
    expect(
      choose([
        load('a', { draining: true }),
        load('b', { at: NOW - 7000 }),
        load('c', { workers: 0 }),
        load('d', { routers: 50 }),
      ]),
    ).toBe('d');
    expect(choose([load('a', { draining: true })])).toBeNull();
    expect(choose([])).toBeNull();
  });

  it('passes over saturated workers while any node has room, and uses them when none has', () => {
    const hot = load('a', { workerCpu: 2 * SATURATED_CPU_PER_WORKER });
    expect(choose([hot, load('b', { routers: 10 })])).toBe('b');
    expect(choose([hot])).toBe('a');
  });

  const arbitraryLoad = fc.record({
    nodeId: fc.constantFrom('n1', 'n2', 'n3', 'n4', 'n5'),
    routers: fc.nat(40),
    consumers: fc.nat(400),
    workers: fc.nat(4),
    workerCpu: fc.double({ min: 0, max: 4, noNaN: true }),
    draining: fc.boolean(),
    at: fc.integer({ min: NOW - 10_000, max: NOW }),
  });
  const cluster = fc.uniqueArray(arbitraryLoad, { selector: (l) => l.nodeId, maxLength: 5 });

  it('chooses a live node, with no fewer calls per worker than any other live node with room', () => {
    fc.assert(
      fc.property(cluster, (loads) => {
        const chosen = choose(loads);
        const live = loads.filter((l) => !l.draining && l.workers > 0 && NOW - l.at <= 6000);
        if (live.length === 0) return chosen === null;
        const pick = live.find((l) => l.nodeId === chosen);
        if (!pick) return false;
        const roomy = live.filter((l) => l.workerCpu / l.workers < SATURATED_CPU_PER_WORKER);
        const pool = roomy.length > 0 ? roomy : live;
        return pool.includes(pick) && pool.every((l) => pick.routers / pick.workers <= l.routers / l.workers);
      }),
    );
  });

  it('does not depend on the order the reports were read in', () => {
    fc.assert(
      fc.property(cluster, fc.nat(), (loads, seed) => {
        const shuffled = [...loads].sort(
          (x, y) => ((x.nodeId.charCodeAt(1) * seed) % 7) - ((y.nodeId.charCodeAt(1) * seed) % 7),
        );
        return choose(loads) === choose(shuffled);
      }),
    );
  });
});
