import type { types } from 'mediasoup';
import { isErrorCode, RelayError } from '../../../../common/errors';
import type { Logger } from '../../logger';
import type {
  CallMediaEvents,
  CallMediaPort,
  ConsumerInfo,
  Direction,
  MediaSource,
  ProducerInfo,
  TransportInfo,
} from '../../media';
import { TypedEmitter } from '../../util/TypedEmitter';
import type { Bus, Unsubscribe } from '../Bus';
import { RemoteError } from '../errors';
import { MEDIA_CHANNEL, MediaEventMessage, mediaEventsChannel, type MediaOp } from './protocol';

/**
 * A call's media on another node, driven over the bus. Orders (add, remove, reset, close) go out
 * in the order given and every later request waits for them, so the host sees what this node
 * decided in the same order. A host that does not answer in time fails the request with
 * `timeout`, never a hang; its refusals arrive with their own codes.
 */
export class RemoteCallMedia extends TypedEmitter<CallMediaEvents> implements CallMediaPort {
  #orders: Promise<void> = Promise.resolve();
  #closed = false;
  #rtpCapabilities: types.RtpCapabilities = {};
  #unsubscribe: Unsubscribe | null = null;

  private constructor(
    private readonly bus: Bus,
    readonly hostNodeId: string,
    readonly callId: string,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {
    super((event, error) => log.error({ event, err: error }, 'remote call media listener failed'));
  }

  /**
   * Opens the call's router on `hostNodeId`, listening to its events before anything can happen.
   * With `attach`, only a router the host already has (a new leader taking the call over).
   */
  static async open(
    bus: Bus,
    hostNodeId: string,
    callId: string,
    options: { timeoutMs: number; log: Logger; attach?: boolean },
  ): Promise<RemoteCallMedia> {
    const log = options.log.child({ module: 'media', callId, host: hostNodeId });
    const media = new RemoteCallMedia(bus, hostNodeId, callId, options.timeoutMs, log);
    media.#unsubscribe = await bus.subscribe(mediaEventsChannel(callId), (payload) =>
      media.#onEvent(payload),
    );
    try {
      const opened = (await media.#send(options.attach ? 'attach' : 'open', [])) as {
        rtpCapabilities: types.RtpCapabilities;
      };
      media.#rtpCapabilities = opened.rtpCapabilities;
    } catch (err) {
      await media.#stopListening();
      throw err;
    }
    return media;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.#rtpCapabilities;
  }

  addParticipant(participantId: string): void {
    this.#order('addParticipant', participantId);
  }

  removeParticipant(participantId: string): void {
    this.#order('removeParticipant', participantId);
  }

  resetParticipant(participantId: string): void {
    this.#order('resetParticipant', participantId);
  }

  close(): void {
    if (this.#closed) return;
    this.#order('close');
  }

  release(): void {
    void this.#stopListening();
  }

  createTransport(participantId: string, direction: Direction): Promise<TransportInfo> {
    return this.#request('createTransport', participantId, direction) as Promise<TransportInfo>;
  }

  async connectTransport(
    participantId: string,
    transportId: string,
    dtlsParameters: types.DtlsParameters,
  ): Promise<void> {
    await this.#request('connectTransport', participantId, transportId, dtlsParameters);
  }

  produce(
    participantId: string,
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
    source: MediaSource,
  ): Promise<string> {
    return this.#request(
      'produce',
      participantId,
      transportId,
      kind,
      rtpParameters,
      source,
    ) as Promise<string>;
  }

  producersFor(participantId: string): Promise<ProducerInfo[]> {
    return this.#request('producersFor', participantId) as Promise<ProducerInfo[]>;
  }

  consume(
    participantId: string,
    transportId: string,
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<ConsumerInfo> {
    return this.#request(
      'consume',
      participantId,
      transportId,
      producerId,
      rtpCapabilities,
    ) as Promise<ConsumerInfo>;
  }

  async resumeConsumer(participantId: string, consumerId: string): Promise<void> {
    await this.#request('resumeConsumer', participantId, consumerId);
  }

  async setProducerPaused(participantId: string, producerId: string, paused: boolean): Promise<void> {
    await this.#request('setProducerPaused', participantId, producerId, paused);
  }

  #order(op: MediaOp, ...args: unknown[]): void {
    this.#orders = this.#orders
      .then(() => this.#send(op, args))
      .then(
        () => {},
        (err: unknown) => this.log.warn({ err, op }, 'the media host did not take an order'),
      );
  }

  async #request(op: MediaOp, ...args: unknown[]): Promise<unknown> {
    if (this.#closed) throw new RelayError('invalid-state', 'the call has ended');
    await this.#orders;
    return this.#send(op, args);
  }

  async #send(op: MediaOp, args: unknown[]): Promise<unknown> {
    try {
      return await this.bus.request(
        this.hostNodeId,
        MEDIA_CHANNEL,
        { callId: this.callId, op, args },
        this.timeoutMs,
      );
    } catch (err) {
      if (err instanceof RemoteError && isErrorCode(err.remoteCode)) {
        throw new RelayError(err.remoteCode, err.message);
      }
      this.log.warn({ err, op }, 'the media host did not answer');
      throw new RelayError(
        'timeout',
        `the call's media server (${this.hostNodeId}) did not answer; please try again`,
        {
          cause: err,
        },
      );
    }
  }

  #onEvent(payload: unknown): void {
    const parsed = MediaEventMessage.safeParse(payload);
    if (!parsed.success) {
      this.log.warn({ payload }, 'unreadable media event');
      return;
    }
    const { event, args } = parsed.data;
    if (event === 'closed') {
      this.#closed = true;
      void this.#stopListening();
    }
    // The host's own CallMedia emitted these arguments for this event: they cross the bus unchanged.
    this.safeEmit(event, ...(args as CallMediaEvents[typeof event]));
  }

  async #stopListening(): Promise<void> {
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = null;
    try {
      await unsubscribe?.();
    } catch (err) {
      this.log.warn({ err }, 'could not stop listening to a call’s media');
    }
  }
}
