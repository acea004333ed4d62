import { Device, type types } from 'mediasoup-client';
import type {
  ConsumerView,
  JoinedSession,
  ProducerView,
  Role,
  TransportView,
} from '../../../common/protocol';
import type { Signaling } from '../signaling';
import { mark } from '../timeline';
import type { PreloadedDevice } from './PreloadedDevice';
import { consumerParameters, deviceCapabilities, recvCapabilities } from './wire';

type AnySignaling = Signaling<never>;
type Joined = JoinedSession & { producers: ProducerView[] };

export interface RemoteTrack {
  participantId: string;
  role: Role | null;
  kind: 'audio' | 'video';
  track: MediaStreamTrack;
  consumer: types.Consumer;
}

export interface MediaClientEvents {
  onTrack(track: RemoteTrack): void;
  onTrackEnded(producerId: string): void;
  /** A transport's connection failed for good (ICE/DTLS): the media must be set up again. */
  onFailed(): void;
  /** A transport's connection is up: media has a path. */
  onConnected(): void;
}

/** How long a transport may take from its first connect to `connected` before it counts as failed. */
const CONNECT_TIMEOUT_MS = 15_000;

/** Signing needs motion: hold the frame rate, give up resolution first (EN 301 549 asks ≥ 20 fps). */
export const SIGNING_VIDEO: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30, min: 20 },
};

export async function openCameraAndMic(
  devices: { cameraId?: string; micId?: string } = {},
): Promise<MediaStream> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { ...SIGNING_VIDEO, ...(devices.cameraId && { deviceId: { exact: devices.cameraId } }) },
    audio: {
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
      ...(devices.micId && { deviceId: { exact: devices.micId } }),
    },
  });
  for (const track of stream.getVideoTracks()) track.contentHint = 'motion';
  mark('camera open');
  return stream;
}

/**
 * One participant's media in a call: a mediasoup-client Device, a send and a receive transport,
 * producers for the local camera and microphone, and a consumer per remote track.
 */
export class MediaClient {
  #device = new Device();
  #send?: types.Transport;
  #recv?: types.Transport;
  readonly #producers = new Map<'audio' | 'video', types.Producer>();
  readonly #consumers = new Map<string, types.Consumer>();
  #roles = new Map<string, Role>();
  #closed = false;
  /** Set once transports exist; producers announced before that wait in #early. */
  #ready = false;
  readonly #early: ProducerView[] = [];
  readonly #consuming = new Set<string>();
  readonly #connectTimers = new Map<string, number>();
  readonly #failedTransports = new Set<string>();
  #asked: Promise<[TransportView, TransportView | null]> | null = null;

  /** `preloaded`: a device loaded while the call rang, used if the call's router matches it. */
  constructor(
    private readonly signaling: AnySignaling,
    private readonly events: MediaClientEvents,
    private readonly preloaded: PreloadedDevice | null = null,
  ) {}

  get device(): Device {
    return this.#device;
  }

  /**
   * Sets the media up with as few waits in a row as the flow allows: the device loads while both
   * transports are asked for (one round trip, not two), the camera is produced before the
   * microphone (a signer's call is the video), and the others' producers are consumed at once,
   * all together, while our own are being produced.
   */
  async start(joined: Joined, stream: MediaStream | null): Promise<void> {
    this.#roles = new Map(joined.participants.map((p) => [p.participantId, p.role]));
    const asked = this.#asked ?? this.askTransports(stream !== null);
    this.#asked = null;
    const [, [recv, send]] = await Promise.all([this.#loadDevice(joined.routerRtpCapabilities), asked]);
    if (this.#closed) return;
    this.#recv = this.#createTransport('recv', recv);
    if (send) this.#send = this.#createTransport('send', send);
    this.#ready = true;
    // Producers from the join answer, plus any announced while we were setting up. Video first:
    // mediasoup-client sets consumers up one after another, and the first frames are what shows.
    const consuming = this.#consumeAll(
      [...joined.producers, ...this.#early.splice(0)].sort(
        (a, b) => Number(a.kind !== 'video') - Number(b.kind !== 'video'),
      ),
    );
    const tracks = stream ? [...stream.getVideoTracks(), ...stream.getAudioTracks()] : [];
    const producing = (async () => {
      for (const track of tracks) await this.#produce(track);
    })();
    await Promise.all([producing, consuming]);
  }

  /** The device loaded while the call rang when it fits this router; else loaded now. */
  async #loadDevice(capabilities: Joined['routerRtpCapabilities']): Promise<void> {
    const preloaded = await this.preloaded?.deviceFor(capabilities);
    if (preloaded) this.#device = preloaded;
    else await this.#device.load({ routerRtpCapabilities: deviceCapabilities(capabilities) });
    mark('device loaded');
  }

  /**
   * Asks for the receive transport, and the send one when `send`, now: a request sent right
   * behind the join is answered right after it (the server runs a socket's requests in order),
   * so the transports need not wait for the join's answer. `start` takes what was asked.
   */
  askTransports(send: boolean): Promise<[TransportView, TransportView | null]> {
    const asked = Promise.all([this.#askTransport('recv'), send ? this.#askTransport('send') : null]);
    // Awaited by start; a join that was refused leaves it refused with no one to hear it.
    asked.catch(() => undefined);
    this.#asked = asked;
    return asked;
  }

  rememberRole(participantId: string, role: Role): void {
    this.#roles.set(participantId, role);
  }

  /**
   * The server's transport and how to reach it: TURN servers with credentials made for this
   * transport, and `relay` when only TURN may be used.
   */
  #askTransport(direction: 'send' | 'recv'): Promise<TransportView> {
    return this.signaling.request('media:create-transport', { direction });
  }

  #createTransport(direction: 'send' | 'recv', view: TransportView): types.Transport {
    const { id, iceParameters, iceCandidates, dtlsParameters, iceServers, iceTransportPolicy } = view;
    const options = { id, iceParameters, iceCandidates, dtlsParameters, iceServers, iceTransportPolicy };
    const transport =
      direction === 'send'
        ? this.device.createSendTransport(options)
        : this.device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback) => {
      mark(`${direction} transport connecting`);
      this.#watchConnecting(transport);
      // Nothing waits on this answer: the browser starts ICE and DTLS at once, and the server reads
      // this before the produce or consume sent after it. A refusal means the transport is spent.
      const connecting = this.signaling.request('media:connect-transport', {
        transportId: transport.id,
        dtlsParameters,
      });
      callback();
      connecting.catch((err: unknown) => {
        console.error('connect-transport failed', err);
        this.#failed(transport);
      });
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        // Set by #produce below; mediasoup-client hands appData back untyped.
        const source = appData['source'];
        if (source !== 'camera' && source !== 'microphone') {
          errback(new Error(`a ${kind} track without a source`));
          return;
        }
        this.signaling
          .request('media:produce', { transportId: transport.id, kind, rtpParameters, source })
          .then(({ producerId }) => callback({ id: producerId }))
          .catch(errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      if (this.#closed) return;
      if (state === 'failed') this.#failed(transport);
      else if (state === 'connected') {
        mark(`${direction} transport connected`);
        this.#stopWatching(transport);
        this.events.onConnected();
      }
    });
    return transport;
  }

  /**
   * Behind a firewall that lets nothing through (or with relay only and the TURN server out of
   * reach) the browser gathers no candidate at all, and its connection never leaves `new`: it
   * never reports `failed`. So a transport not connected this long after it started counts as
   * failed too. A TURN relay over TLS connects in a second or two even on a slow network.
   */
  #watchConnecting(transport: types.Transport): void {
    if (this.#connectTimers.has(transport.id)) return;
    this.#connectTimers.set(
      transport.id,
      window.setTimeout(() => {
        if (transport.connectionState !== 'connected') this.#failed(transport);
      }, CONNECT_TIMEOUT_MS),
    );
  }

  #stopWatching(transport: types.Transport): void {
    window.clearTimeout(this.#connectTimers.get(transport.id));
    this.#connectTimers.delete(transport.id);
  }

  /** Said once per transport, whether the browser said `failed` or the wait ran out. */
  #failed(transport: types.Transport): void {
    if (this.#closed || this.#failedTransports.has(transport.id)) return;
    this.#failedTransports.add(transport.id);
    this.#stopWatching(transport);
    this.events.onFailed();
  }

  async #produce(track: MediaStreamTrack): Promise<void> {
    if (!this.#send) return;
    const kind = track.kind as 'audio' | 'video';
    const producer = await this.#send.produce(
      kind === 'video'
        ? {
            track,
            // One layer capped at 30 fps; under pressure the encoder drops resolution, not frames.
            encodings: [{ maxBitrate: 1_500_000, maxFramerate: 30 }],
            codecOptions: { videoGoogleStartBitrate: 1000 },
            appData: { source: 'camera' },
            // The page owns the camera: a media restart produces the same track again.
            stopTracks: false,
          }
        : {
            track,
            codecOptions: { opusDtx: true, opusFec: true },
            appData: { source: 'microphone' },
            stopTracks: false,
          },
    );
    if (kind === 'video' && producer.rtpSender) {
      const params = producer.rtpSender.getParameters() as RTCRtpSendParameters & {
        degradationPreference?: string;
      };
      params.degradationPreference = 'maintain-framerate';
      await producer.rtpSender.setParameters(params).catch(() => undefined);
    }
    this.#producers.set(kind, producer);
    mark(`${kind} produced`);
  }

  /** A producer announced during the call. */
  consume(p: ProducerView): Promise<void> {
    return this.#consumeAll([p]);
  }

  /**
   * Asks the server for all the consumers at once, then sets them all up in the same tick:
   * mediasoup-client negotiates consumers asked for together in one SDP exchange, where answers
   * taken one by one as they came cost one exchange each (a joining interpreter consumes four).
   */
  async #consumeAll(producers: ProducerView[]): Promise<void> {
    if (this.#closed) return;
    if (!this.#ready) {
      this.#early.push(...producers);
      return;
    }
    const recv = this.#recv;
    if (!recv) return;
    // The same producer can be both in the join answer and announced: consume it once.
    const fresh = [...new Map(producers.map((p) => [p.producerId, p])).values()].filter(
      (p) => !this.#consumers.has(p.producerId) && !this.#consuming.has(p.producerId),
    );
    for (const p of fresh) this.#consuming.add(p.producerId);
    try {
      const asked = await Promise.allSettled(fresh.map((p) => this.#ask(p, recv)));
      await Promise.all(
        asked.map((answer, i) =>
          answer.status === 'fulfilled'
            ? this.#setUpConsumer(fresh[i]!, answer.value, recv)
            : Promise.reject(answer.reason as Error),
        ),
      );
    } finally {
      for (const p of fresh) this.#consuming.delete(p.producerId);
    }
  }

  #ask(p: ProducerView, recv: types.Transport): Promise<ConsumerView> {
    return this.signaling.request('media:consume', {
      transportId: recv.id,
      producerId: p.producerId,
      rtpCapabilities: recvCapabilities(this.device.rtpCapabilities),
    });
  }

  async #setUpConsumer(p: ProducerView, info: ConsumerView, recv: types.Transport): Promise<void> {
    const consumer = await recv.consume({
      id: info.id,
      producerId: info.producerId,
      kind: info.kind,
      rtpParameters: consumerParameters(info.rtpParameters),
      appData: { participantId: p.participantId, role: this.#roles.get(p.participantId) ?? null },
    });
    this.#consumers.set(p.producerId, consumer);
    mark(`${info.kind} track of ${this.#roles.get(p.participantId) ?? 'unknown'}`);
    this.events.onTrack({
      participantId: p.participantId,
      role: this.#roles.get(p.participantId) ?? null,
      kind: info.kind,
      track: consumer.track,
      consumer,
    });
    // The server created it paused so no keyframe is lost before the track is attached. Nothing
    // here waits on the answer; a refusal leaves a dark tile, so it is logged.
    this.signaling
      .request('media:resume-consumer', { consumerId: consumer.id })
      .catch((err: unknown) => console.error('resume-consumer failed', err));
  }

  producerClosed(producerId: string): void {
    const consumer = this.#consumers.get(producerId);
    if (!consumer) return;
    consumer.close();
    this.#consumers.delete(producerId);
    this.events.onTrackEnded(producerId);
  }

  /** Mute or camera off: the track stops sending and the server stops forwarding. */
  async setPaused(kind: 'audio' | 'video', paused: boolean): Promise<void> {
    const producer = this.#producers.get(kind);
    if (!producer) return;
    if (paused) producer.pause();
    else producer.resume();
    await this.signaling.request('media:set-producer-paused', { producerId: producer.id, paused });
  }

  isPaused(kind: 'audio' | 'video'): boolean {
    return this.#producers.get(kind)?.paused ?? true;
  }

  get videoProducer(): types.Producer | undefined {
    return this.#producers.get('video');
  }

  get consumers(): types.Consumer[] {
    return [...this.#consumers.values()];
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#connectTimers.values()) window.clearTimeout(timer);
    this.#connectTimers.clear();
    this.#send?.close();
    this.#recv?.close();
    this.#consumers.clear();
    this.#producers.clear();
  }
}
