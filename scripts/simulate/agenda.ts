// The simulated future: happenings ordered by time, then by when they were scheduled.

interface Happening {
  at: number;
  seq: number;
  run: () => void;
}

/** Binary min-heap of simulated happenings, by time then insertion order (determinism). */
export class Agenda {
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
