import type { types } from 'mediasoup';
import type { RelayError } from '../../../common/errors';
import type { Logger } from '../logger';
import type { CallMediaPort } from './CallMediaPort';
import { TypedEmitter } from '../util/TypedEmitter';
import {
  MediaClosedError,
  MediaLimitError,
  MediaNotFoundError,
  MediaRejectedError,
  MediaStateError,
} from './errors';
import { MEDIA_LIMITS } from './limits';
import { foreignCodec, refusalFor } from './refusals';
import type { WorkerPool } from './WorkerPool';

export type Direction = 'send' | 'recv';
export type MediaSource = 'camera' | 'microphone';

export interface TransportInfo {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

export interface ProducerInfo {
  producerId: string;
  participantId: string;
  kind: types.MediaKind;
  source: MediaSource;
  paused: boolean;
}

export interface ConsumerInfo {
  id: string;
  producerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
}

interface TransportAppData extends types.AppData {
  participantId: string;
  direction: Direction;
  /** connect() was called: mediasoup allows it once per transport. */
  connected: boolean;
}

interface ProducerAppData extends types.AppData {
  participantId: string;
  source: MediaSource;
}

interface ParticipantMedia {
  transports: Map<string, types.WebRtcTransport<TransportAppData>>;
  producers: Map<string, types.Producer<ProducerAppData>>;
  consumers: Map<string, types.Consumer>;
  /** Objects the worker is still making: they count toward the caps, so a burst cannot pass one. */
  making: Record<Slot, number>;
}

/** What MEDIA_LIMITS counts, per participant. */
type Slot = Direction | 'producers' | 'consumers';

export type CallMediaEvents = {
  'producer-added': [ProducerInfo];
  'producer-closed': [{ producerId: string; participantId: string }];
  'producer-paused': [{ producerId: string; participantId: string; paused: boolean }];
  /** A consumer closed because its producer went away; the consuming participant should drop it. */
  'consumer-closed': [{ consumerId: string; participantId: string }];
  /** Its worker died and the call now has a new router: every participant must set media up again. */
  moved: [];
  /**
   * `ended`: closed as asked. `worker-died`: no worker could take it. `host-stopped`: the node
   * hosting it (in a cluster) shut down with the call still going.
   */
  closed: [reason: 'ended' | 'worker-died' | 'host-stopped'];
};

/**
 * The media of one call: one router, and per participant their transports, producers and consumers.
 * Every operation names the participant, and only that participant's own objects are looked up,
 * so one participant can never touch another's transports, let alone another call's.
 *
 * What a client can get wrong (parameters, order, stale ids) fails as a RelayError with the code
 * it should hear, logged at warn; a raw error out of here is a failure of ours. No participant holds
 * more than MEDIA_LIMITS allows (limits.ts), wherever the request came from: in a cluster this runs
 * on the host node, so the caps hold there.
 */
export class CallMedia extends TypedEmitter<CallMediaEvents> implements CallMediaPort {
  readonly #participants = new Map<string, ParticipantMedia>();
  #closed = false;

  #router: types.Router;
  #webRtcServer: types.WebRtcServer;

  private constructor(
    private readonly pool: WorkerPool,
    readonly callId: string,
    readonly hostNodeId: string,
    placed: { router: types.Router; webRtcServer: types.WebRtcServer },
    private readonly log: Logger,
  ) {
    super((event, error) => log.error({ event, err: error }, 'call media listener failed'));
    this.#router = placed.router;
    this.#webRtcServer = placed.webRtcServer;
    this.#watch(placed.router);
  }

  /** `hostNodeId` names this node to the rest of a cluster ('local' in the embedded default). */
  static async create(
    pool: WorkerPool,
    callId: string,
    log: Logger,
    hostNodeId = 'local',
  ): Promise<CallMedia> {
    const placed = await pool.createRouter({ callId });
    return new CallMedia(pool, callId, hostNodeId, placed, log.child({ module: 'media', callId }));
  }

  /** Consumers open right now: a node's share of the cluster's forwarding work. */
  get consumerCount(): number {
    let n = 0;
    for (const p of this.#participants.values()) n += p.consumers.size;
    return n;
  }

  /**
   * Transports a browser still holds open: DTLS neither closed nor failed. A page that set its media
   * up on another host closes these (its peer connection sends a DTLS close alert).
   */
  get openTransports(): number {
    let n = 0;
    for (const p of this.#participants.values())
      for (const t of p.transports.values()) if (t.dtlsState !== 'closed' && t.dtlsState !== 'failed') n++;
    return n;
  }

  /** The call's router now (a new one after its worker died). */
  get router(): types.Router {
    return this.#router;
  }

  #watch(router: types.Router): void {
    router.observer.once('close', () => this.#onRouterClosed(router));
  }

  get closed(): boolean {
    return this.#closed;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.#router.rtpCapabilities;
  }

  addParticipant(participantId: string): void {
    if (!this.#participants.has(participantId)) {
      this.#participants.set(participantId, {
        transports: new Map(),
        producers: new Map(),
        consumers: new Map(),
        making: { send: 0, recv: 0, producers: 0, consumers: 0 },
      });
    }
  }

  #participant(participantId: string): ParticipantMedia {
    if (this.#closed) throw new MediaClosedError('the call has ended');
    const p = this.#participants.get(participantId);
    if (!p) throw new MediaNotFoundError('not a participant of this call');
    return p;
  }

  async createTransport(participantId: string, direction: Direction): Promise<TransportInfo> {
    const p = this.#participant(participantId);
    const held = [...p.transports.values()].filter((t) => t.appData.direction === direction).length;
    this.#withinCap(participantId, p, direction, held, MEDIA_LIMITS.transportsPerDirection);
    const router = this.#router;
    const participants = this.#participants;
    // Gone too if the participant left (or the call moved) while the transport was being made.
    const target = {
      get closed() {
        return router.closed || participants.get(participantId) !== p;
      },
    };
    const transport = await this.#making(p, direction, () =>
      this.#request(participantId, 'call', target, () =>
        router.createWebRtcTransport<TransportAppData>({
          webRtcServer: this.#webRtcServer,
          enableUdp: true,
          enableTcp: true,
          preferUdp: true,
          initialAvailableOutgoingBitrate: 1_000_000,
          appData: { participantId, direction, connected: false },
        }),
      ),
    );
    p.transports.set(transport.id, transport);
    transport.observer.once('close', () => p.transports.delete(transport.id));
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed')
        this.log.warn({ participantId, state }, 'transport dtls ended');
    });
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  #transport(
    p: ParticipantMedia,
    transportId: string,
    direction?: Direction,
  ): types.WebRtcTransport<TransportAppData> {
    const t = p.transports.get(transportId);
    if (!t || (direction && t.appData.direction !== direction)) {
      throw new MediaNotFoundError(`no ${direction ? `${direction} ` : ''}transport ${transportId} of yours`);
    }
    return t;
  }

  /**
   * Runs one mediasoup request for a participant. A failure the client caused (see refusalFor)
   * becomes its RelayError and a warning; anything else is thrown as it is.
   */
  async #request<T>(
    participantId: string,
    what: string,
    target: { readonly closed: boolean },
    run: () => Promise<T>,
    refusal: (err: unknown) => RelayError | undefined = (err) => refusalFor(err, what, target),
  ): Promise<T> {
    let made: T;
    try {
      made = await run();
    } catch (err) {
      // mediasoup passes the worker's notifications on a turn after its responses: let a close the
      // worker did first (a consumer whose producer went) land before judging whose failure it is.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const refused = this.#closed
        ? new MediaClosedError('the call has ended', { cause: err })
        : refusal(err);
      if (!refused) throw err;
      this.#refused(participantId, refused);
      throw refused;
    }
    if (!this.#closed && !target.closed) return made;
    // The worker answered a request it read before the close that came after it (a media restart,
    // a removal, the call's end). mediasoup still hands back a producer or consumer, but nothing
    // will ever close it: close it now, so it neither leaks nor counts toward a cap.
    closeIfMade(made);
    const refused = this.#closed
      ? new MediaClosedError('the call has ended')
      : new MediaStateError(`the ${what} is closed`);
    this.#refused(participantId, refused);
    throw refused;
  }

  /**
   * Refuses (limit-reached, logged at warn) when the participant already holds `max` of `slot`,
   * counting those still being made.
   */
  #withinCap(participantId: string, p: ParticipantMedia, slot: Slot, held: number, max: number): void {
    if (held + p.making[slot] < max) return;
    const what = slot === 'send' || slot === 'recv' ? `${slot} transports` : slot;
    const refusal = new MediaLimitError(`at most ${max} ${what} per participant`);
    this.#refused(participantId, refusal);
    throw refusal;
  }

  /** Counts what `make` makes toward the participant's cap until it is made (or failed). */
  async #making<T>(p: ParticipantMedia, slot: Slot, make: () => Promise<T>): Promise<T> {
    p.making[slot]++;
    try {
      return await make();
    } finally {
      p.making[slot]--;
    }
  }

  #refused(participantId: string, refusal: RelayError): void {
    this.log.warn(
      { participantId, code: refusal.code, reason: refusal.message, err: refusal.cause ?? refusal },
      'media request refused',
    );
  }

  async connectTransport(
    participantId: string,
    transportId: string,
    dtlsParameters: types.DtlsParameters,
  ): Promise<void> {
    const t = this.#transport(this.#participant(participantId), transportId);
    if (t.appData.connected) {
      const refusal = new MediaStateError(`transport ${transportId} is already connected`);
      this.#refused(participantId, refusal);
      throw refusal;
    }
    // Marked before the await: even a failed connect() may count for the worker, and a second
    // request (another tab) must not race the first. A transport whose connect failed is spent.
    t.appData.connected = true;
    await this.#request(participantId, 'transport', t, () => t.connect({ dtlsParameters }));
  }

  async produce(
    participantId: string,
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
    source: MediaSource,
  ): Promise<string> {
    const p = this.#participant(participantId);
    const t = this.#transport(p, transportId, 'send');
    if ((source === 'camera') !== (kind === 'video')) {
      throw new MediaRejectedError(`a ${source} cannot send ${kind}`);
    }
    const foreign = foreignCodec(kind, rtpParameters);
    if (foreign !== undefined) throw new MediaRejectedError(`${kind} cannot be sent as ${foreign}`);
    this.#withinCap(participantId, p, 'producers', p.producers.size, MEDIA_LIMITS.producers);
    const producer = await this.#making(p, 'producers', () =>
      this.#request(participantId, 'transport', t, () =>
        t.produce<ProducerAppData>({ kind, rtpParameters, appData: { participantId, source } }),
      ),
    );
    p.producers.set(producer.id, producer);
    producer.observer.once('close', () => {
      p.producers.delete(producer.id);
      if (!this.#closed) this.safeEmit('producer-closed', { producerId: producer.id, participantId });
    });
    this.log.info({ participantId, kind, producerId: producer.id }, 'producing');
    this.safeEmit('producer-added', {
      producerId: producer.id,
      participantId,
      kind,
      source,
      paused: producer.paused,
    });
    return producer.id;
  }

  /** Every producer in the call except the participant's own: what they should consume. */
  producersFor(participantId: string): Promise<ProducerInfo[]> {
    const out: ProducerInfo[] = [];
    for (const [owner, p] of this.#participants) {
      if (owner === participantId) continue;
      for (const producer of p.producers.values()) {
        out.push({
          producerId: producer.id,
          participantId: owner,
          kind: producer.kind,
          source: producer.appData.source,
          paused: producer.paused,
        });
      }
    }
    return Promise.resolve(out);
  }

  #findProducer(producerId: string): { owner: string; producer: types.Producer } | undefined {
    for (const [owner, p] of this.#participants) {
      const producer = p.producers.get(producerId);
      if (producer) return { owner, producer };
    }
    return undefined;
  }

  /** Consumers start paused; the client resumes them once its track is wired (no lost keyframe). */
  async consume(
    participantId: string,
    transportId: string,
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<ConsumerInfo> {
    const p = this.#participant(participantId);
    const t = this.#transport(p, transportId, 'recv');
    const found = this.#findProducer(producerId);
    if (!found || found.owner === participantId)
      throw new MediaNotFoundError(`no producer ${producerId} to consume`);
    // A client consumes each producer once (a media restart closes the old consumers first).
    if ([...p.consumers.values()].some((c) => c.producerId === producerId)) {
      throw new MediaStateError(`you already consume producer ${producerId}`);
    }
    this.#withinCap(participantId, p, 'consumers', p.consumers.size, MEDIA_LIMITS.consumers);
    if (!this.#router.canConsume({ producerId, rtpCapabilities })) {
      throw new MediaRejectedError('your browser cannot decode this media');
    }
    const consumer = await this.#making(p, 'consumers', () =>
      this.#request(
        participantId,
        'transport',
        t,
        () => t.consume({ producerId, rtpCapabilities, paused: true, appData: { participantId } }),
        // The producer may close while the consumer is being made: then there is nothing to consume.
        (err) =>
          found.producer.closed
            ? new MediaNotFoundError(`no producer ${producerId} to consume`, { cause: err })
            : refusalFor(err, 'transport', t),
      ),
    );
    p.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => p.consumers.delete(consumer.id));
    consumer.on('producerclose', () => {
      consumer.close();
      this.safeEmit('consumer-closed', { consumerId: consumer.id, participantId });
    });
    return { id: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
  }

  async resumeConsumer(participantId: string, consumerId: string): Promise<void> {
    const c = this.#participant(participantId).consumers.get(consumerId);
    if (!c) throw new MediaNotFoundError(`no consumer ${consumerId} of yours`);
    await this.#request(participantId, 'consumer', c, () => c.resume());
  }

  /** Mute and camera-off pause the producer on the server too, so nothing is forwarded. */
  async setProducerPaused(participantId: string, producerId: string, paused: boolean): Promise<void> {
    const producer = this.#participant(participantId).producers.get(producerId);
    if (!producer) throw new MediaNotFoundError(`no producer ${producerId} of yours`);
    await this.#request(participantId, 'producer', producer, () =>
      paused ? producer.pause() : producer.resume(),
    );
    this.safeEmit('producer-paused', { producerId, participantId, paused });
  }

  /** Closes a participant's transports (and so their producers and consumers); the call goes on. */
  removeParticipant(participantId: string): void {
    this.resetParticipant(participantId);
    this.#participants.delete(participantId);
  }

  /**
   * Closes a participant's transports (so their producers and consumers, and the others see their
   * tracks end) but keeps them in the call: their browser is about to set up media afresh.
   */
  resetParticipant(participantId: string): void {
    const p = this.#participants.get(participantId);
    if (!p) return;
    for (const t of [...p.transports.values()]) t.close();
  }

  close(): void {
    if (this.#closed) return;
    // Transports first: mediasoup 3.19's WebRtcServer forgets a transport only when the transport
    // itself is closed, not when its router is, so closing the router alone leaks every transport
    // of every ended call in the server's map for the worker's lifetime.
    for (const id of this.#participants.keys()) this.resetParticipant(id);
    this.#router.appData['endedByApp'] = true;
    this.#router.close();
  }

  /**
   * The router stays: a node that hosts the call's media serves it to whoever controls the call
   * (MediaHost), so letting go of control changes nothing here.
   */
  release(): void {}

  #onRouterClosed(router: types.Router): void {
    if (this.#closed || router !== this.#router) return;
    if (router.appData['endedByApp']) {
      this.#closed = true;
      this.#participants.clear();
      this.log.info('call media closed');
      this.safeEmit('closed', 'ended');
      return;
    }
    // Closed without close(): its worker died, and every transport went with it. The call moves
    // to a new router; each browser then sets its media up again (seconds, not the call).
    for (const p of this.#participants.values()) {
      p.transports.clear();
      p.producers.clear();
      p.consumers.clear();
    }
    this.log.warn({ routerId: router.id }, 'media worker died under the call: moving it');
    // The pool hears of the death just after the router does (same tick): let it start a replacement first.
    setImmediate(() => void this.#moveToNewRouter());
  }

  async #moveToNewRouter(): Promise<void> {
    try {
      const placed = await this.pool.createRouter({ callId: this.callId });
      if (this.#closed) {
        placed.router.close();
        return;
      }
      this.#router = placed.router;
      this.#webRtcServer = placed.webRtcServer;
      this.#watch(placed.router);
      this.log.info({ routerId: placed.router.id }, 'call moved to a new router');
      this.safeEmit('moved');
    } catch (err) {
      this.log.error({ err }, 'could not move the call to another worker');
      this.#closed = true;
      this.#participants.clear();
      this.safeEmit('closed', 'worker-died');
    }
  }
}

/** Closes what a mediasoup request made (a transport, producer or consumer), if it made anything. */
function closeIfMade(made: unknown): void {
  if (typeof made === 'object' && made !== null && 'close' in made && typeof made.close === 'function') {
    (made as { close(): void }).close();
  }
}
