// Seeded randomness for the simulation: same seed, same day.

export type Rand = () => number;

/** mulberry32: tiny, fast, good enough for a simulation. */
export function mulberry32(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(rand: Rand, min: number, max: number): number {
  return min + (max - min) * rand();
}

export function exponential(rand: Rand, mean: number): number {
  return -mean * Math.log(1 - rand());
}

/** Standard normal by Box–Muller. */
export function normal(rand: Rand): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal given its median and the sigma of the underlying normal. */
export function logNormal(rand: Rand, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rand));
}

export function weighted<T>(rand: Rand, items: ReadonlyArray<readonly [T, number]>): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r <= 0) return item;
  }
  const last = items[items.length - 1];
  if (last === undefined) throw new Error('weighted: no items');
  return last[0];
}
