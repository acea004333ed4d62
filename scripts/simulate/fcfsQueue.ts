// The textbook first-come-first-served queue with identical servers, as a recursion: the yardstick the
// lobby's M/M/c mode is held against on the very same arrivals and talk times.

/**
 * Wait of each caller when caller k (in arrival order) is served by whichever of `servers` frees up
 * first and keeps it for serviceMs[k]. Arrivals must be sorted.
 */
export function fcfsWaits(arrivalsMs: Float64Array, serviceMs: Float64Array, servers: number): Float64Array {
  if (serviceMs.length < arrivalsMs.length)
    throw new RangeError('fcfsWaits: a service time is needed for every caller');
  if (!Number.isInteger(servers) || servers < 1)
    throw new RangeError('fcfsWaits: servers must be an integer >= 1');
  // Min-heap of the instants each server is free again; all free at the start.
  const free = new Float64Array(servers).fill(Number.NEGATIVE_INFINITY);
  const waits = new Float64Array(arrivalsMs.length);
  for (let k = 0; k < arrivalsMs.length; k++) {
    const t = arrivalsMs[k] as number;
    const start = Math.max(t, free[0] as number);
    waits[k] = start - t;
    free[0] = start + (serviceMs[k] as number);
    siftDown(free);
  }
  return waits;
}

function siftDown(h: Float64Array): void {
  const n = h.length;
  let i = 0;
  const v = h[0] as number;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const m = r < n && (h[r] as number) < (h[l] as number) ? r : l;
    if ((h[m] as number) >= v) break;
    h[i] = h[m] as number;
    i = m;
  }
  h[i] = v;
}
