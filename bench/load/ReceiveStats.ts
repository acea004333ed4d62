// What one received RTP stream looked like: packets, loss from sequence numbers and interarrival
// jitter as RFC 3550 (section 6.4.1 and appendix A.8) defines them.

export interface StreamFigures {
  received: number;
  expected: number;
  /** Lost / expected in the window, 0–1 (duplicates never make it negative). */
  loss: number;
  /** RFC 3550 interarrival jitter at the end of the window, in milliseconds. */
  jitterMs: number;
}

export class ReceiveStats {
  #received = 0;
  #baseSeq: number | undefined;
  #maxExtSeq = 0;
  #jitter = 0;
  #lastTransit: number | undefined;
  #window = { received: 0, expected: 0 };

  constructor(private readonly clockRate: number) {}

  /** One packet as it arrived (`nowMs` from a monotonic clock). */
  onPacket(seq: number, rtpTimestamp: number, nowMs: number): void {
    this.#received++;
    if (this.#baseSeq === undefined) {
      this.#baseSeq = seq;
      this.#maxExtSeq = seq;
    } else {
      // Extended sequence number: the 16-bit counter may wrap; take the nearest interpretation.
      const delta = ((seq - (this.#maxExtSeq & 0xffff) + 0x8000) & 0xffff) - 0x8000;
      if (delta > 0) this.#maxExtSeq += delta;
    }
    const arrival = (nowMs * this.clockRate) / 1000;
    const transit = arrival - rtpTimestamp;
    if (this.#lastTransit !== undefined) {
      let d = Math.abs(transit - this.#lastTransit);
      // A 32-bit timestamp wrap would look like a huge jump: ignore that one sample.
      if (d > 2 ** 31) d = 0;
      this.#jitter += (d - this.#jitter) / 16;
    }
    this.#lastTransit = transit;
  }

  get received(): number {
    return this.#received;
  }

  #expected(): number {
    return this.#baseSeq === undefined ? 0 : this.#maxExtSeq - this.#baseSeq + 1;
  }

  /** Starts a measurement window: figures() counts from here. */
  startWindow(): void {
    this.#window = { received: this.#received, expected: this.#expected() };
  }

  figures(): StreamFigures {
    const received = this.#received - this.#window.received;
    const expected = this.#expected() - this.#window.expected;
    const loss = expected > 0 ? Math.max(0, expected - received) / expected : 0;
    return { received, expected, loss, jitterMs: (this.#jitter / this.clockRate) * 1000 };
  }
}
