import type { types } from 'mediasoup';
import type { Logger } from '../logger';
import { realScheduler, type Scheduler, type Timer } from '../util/scheduler';

/** How much media one transport may send us. */
export interface IngressPolicy {
  /**
   * Bits per second a transport may receive. Told to the worker, which tells the browser's
   * congestion control (REMB / transport-cc), so a real browser stays below it.
   */
  maxIncomingBitrate: number;
  /** A transport above this multiple of it for `strikes` samples in a row is closed. */
  tolerance: number;
  strikes: number;
  sampleMs: number;
}

/**
 * 5 Mbit/s: a 720p camera (Chromium sends at most ~2.5 Mbit/s), its sound and a screen share.
 * Tolerance and strikes leave room for a keyframe burst and a congestion controller slow to react.
 */
export const DEFAULT_INGRESS_POLICY: IngressPolicy = {
  maxIncomingBitrate: 5_000_000,
  tolerance: 1.5,
  strikes: 3,
  sampleMs: 1000,
};

export interface Policed {
  transportId: string;
  appData: types.AppData;
  /** What it was receiving when closed, bits per second. */
  bitrate: number;
}

/**
 * Closes a transport that keeps sending far above its allowance. A browser follows the worker's
 * bandwidth feedback; a client that does not (a broken or hostile one, bench:media's 10× sender)
 * would otherwise cost its worker and every call on it the decrypting and forwarding of all it
 * sends. Closing the transport closes its producers (the others stop receiving them) and the
 * WebRtcServer drops what still arrives from it unread.
 */
export class IngressPolicer {
  readonly #strikes = new Map<types.WebRtcTransport, number>();
  #timer: Timer | null = null;
  /** A sample is due or under way: at most one loop runs. */
  #sampling = false;
  #closed = false;

  constructor(
    private readonly policy: IngressPolicy,
    private readonly log: Logger,
    private readonly onPoliced: (policed: Policed) => void = () => undefined,
    private readonly scheduler: Scheduler = realScheduler(),
  ) {}

  watch(transport: types.WebRtcTransport): void {
    if (this.#closed) return;
    this.#strikes.set(transport, 0);
    transport.observer.once('close', () => this.#strikes.delete(transport));
    transport
      .setMaxIncomingBitrate(this.policy.maxIncomingBitrate)
      .catch((err: unknown) => this.#unlessClosed(transport, err, 'could not set a transport bitrate cap'));
    if (!this.#sampling) this.#next();
  }

  #next(): void {
    this.#sampling = true;
    this.#timer = this.scheduler.after(this.policy.sampleMs, () => void this.#sample());
  }

  close(): void {
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = null;
    this.#strikes.clear();
  }

  async #sample(): Promise<void> {
    const limit = this.policy.maxIncomingBitrate * this.policy.tolerance;
    await Promise.all(
      [...this.#strikes.keys()].map(async (transport) => {
        let bitrate: number;
        try {
          bitrate = (await transport.getStats())[0]?.recvBitrate ?? 0;
        } catch (err) {
          this.#unlessClosed(transport, err, 'could not read a transport bitrate');
          return;
        }
        if (transport.closed) return;
        const strikes = bitrate > limit ? (this.#strikes.get(transport) ?? 0) + 1 : 0;
        this.#strikes.set(transport, strikes);
        if (strikes < this.policy.strikes) return;
        this.log.warn(
          { transportId: transport.id, appData: transport.appData, bitrate, limit },
          'closing a transport that keeps sending far above its bitrate cap',
        );
        transport.close();
        this.onPoliced({ transportId: transport.id, appData: transport.appData, bitrate });
      }),
    );
    this.#sampling = false;
    if (!this.#closed && this.#strikes.size > 0) this.#next();
  }

  #unlessClosed(transport: types.WebRtcTransport, err: unknown, message: string): void {
    if (!transport.closed) this.log.warn({ err, transportId: transport.id }, message);
  }
}
