// Replays a recorded stream into a sender in real time, looping the clip with sequence numbers and
// timestamps that keep counting, as a live camera or microphone would.
import { RtpHeader, RtpPacket } from 'werift';
import type { RecordedStream } from './clip';

export type SendRtp = (packet: RtpPacket) => void;

export class RtpPlayer {
  #index = 0;
  #loop = 0;
  #seq = Math.floor(Math.random() * 0xffff);
  readonly #tsBase = Math.floor(Math.random() * 0xffffffff);
  #startMs = 0;
  #running = false;

  /** `rate` > 1 sends the clip that many times faster (a flooding client). */
  constructor(
    private readonly stream: RecordedStream,
    private readonly send: SendRtp,
    private readonly rate = 1,
  ) {}

  start(nowMs: number): void {
    this.#startMs = nowMs;
    this.#running = true;
  }

  stop(): void {
    this.#running = false;
  }

  /** Sends every packet whose time has come; called by a shared ticker every few ms. */
  tick(nowMs: number): void {
    if (!this.#running) return;
    const { packets, loopTicks, clockRate } = this.stream;
    const elapsedTicks = ((nowMs - this.#startMs) * clockRate * this.rate) / 1000;
    for (;;) {
      const p = packets[this.#index]!;
      const ticks = this.#loop * loopTicks + p.timestamp;
      if (ticks > elapsedTicks) return;
      const header = new RtpHeader({
        payloadType: 0,
        sequenceNumber: this.#seq,
        timestamp: (this.#tsBase + ticks) >>> 0,
        marker: p.marker,
        ssrc: 0,
      });
      this.#seq = (this.#seq + 1) & 0xffff;
      this.send(new RtpPacket(header, p.payload));
      if (++this.#index === packets.length) {
        this.#index = 0;
        this.#loop++;
      }
    }
  }
}

/** One timer for every player, so a thousand streams cost one wake-up per tick, not a thousand. */
export class Ticker {
  readonly #players = new Set<RtpPlayer>();
  #timer: NodeJS.Timeout | undefined;

  add(player: RtpPlayer): void {
    player.start(performance.now());
    this.#players.add(player);
    this.#timer ??= setInterval(() => {
      const now = performance.now();
      for (const p of this.#players) p.tick(now);
    }, 5);
  }

  remove(player: RtpPlayer): void {
    player.stop();
    this.#players.delete(player);
    if (this.#players.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
