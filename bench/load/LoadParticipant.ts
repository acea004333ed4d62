// One participant of a call without a browser: a werift peer connection per mediasoup transport,
// replaying recorded VP8 and Opus RTP as its camera and microphone and counting what it receives.
import type { types } from 'mediasoup';
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RTCRtpHeaderExtensionParameters,
  type RTCRtpTransceiver,
} from 'werift';
import type { ConsumerView, ProducerView, TransportView } from '../../common/protocol';
import type { Clip } from './clip';
import { ReceiveStats } from './ReceiveStats';
import { RtpPlayer, type Ticker } from './RtpPlayer';
import { localDtlsParameters, serverSdp, type MediaSection } from './sdp';

/** The media half of a signalling channel: product and bare server answer the same requests. */
export interface MediaSignaling {
  /** Resolves with the ack's data; rejects with its error. */
  request<T>(event: string, payload?: unknown): Promise<T>;
  onProducerAdded(listener: (p: ProducerView) => void): void;
}

const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const VIDEO_FEEDBACK = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
];
const OPUS = { mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 };
const VP8 = { mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 };

/** What this client can receive, as a loaded mediasoup-client Device would say. */
export const LOAD_CLIENT_CAPABILITIES: types.RtpCapabilities = {
  codecs: [
    { kind: 'audio', ...OPUS, preferredPayloadType: 111, rtcpFeedback: [] },
    { kind: 'video', ...VP8, preferredPayloadType: 96, rtcpFeedback: VIDEO_FEEDBACK },
  ],
  headerExtensions: [
    { kind: 'audio', uri: MID_URI, preferredId: 1 },
    { kind: 'video', uri: MID_URI, preferredId: 1 },
  ],
};

function peer(): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: {
      audio: [new RTCRtpCodecParameters({ ...OPUS, parameters: 'minptime=10;useinbandfec=1' })],
      video: [new RTCRtpCodecParameters({ ...VP8, rtcpFeedback: VIDEO_FEEDBACK })],
    },
    headerExtensions: {
      audio: [new RTCRtpHeaderExtensionParameters({ id: 1, uri: MID_URI })],
      video: [new RTCRtpHeaderExtensionParameters({ id: 1, uri: MID_URI })],
    },
    iceUseIpv6: false,
    // The server is on loopback, which werift leaves out of its host candidates by default.
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
}

export interface ReceivedStream {
  producerId: string;
  participantId: string;
  kind: 'audio' | 'video';
  stats: ReceiveStats;
}

export interface ParticipantOptions {
  /** Remote producers to wait for before consuming (two others × audio and video = 4). */
  expectRemote: number;
  /** > 1: the camera sends its clip this many times faster (a flooding client). */
  videoRate?: number;
  timeoutMs?: number;
}

export class LoadParticipant {
  readonly received: ReceivedStream[] = [];
  readonly #players: RtpPlayer[] = [];
  readonly #peers: RTCPeerConnection[] = [];
  readonly #remote = new Map<string, ProducerView>();
  #onRemote: (() => void) | undefined;

  constructor(
    private readonly signaling: MediaSignaling,
    private readonly clip: Clip,
    private readonly ticker: Ticker,
    readonly participantId: string,
    private readonly options: ParticipantOptions,
  ) {
    signaling.onProducerAdded((p) => this.#addRemote(p));
  }

  #addRemote(p: ProducerView): void {
    if (p.participantId === this.participantId) return;
    this.#remote.set(p.producerId, p);
    this.#onRemote?.();
  }

  /** Sends audio and video, then consumes every other participant's once all are announced. */
  async start(producers: ProducerView[]): Promise<void> {
    for (const p of producers) this.#addRemote(p);
    const [send, recv] = await Promise.all([
      this.signaling.request<TransportView>('media:create-transport', { direction: 'send' }),
      this.signaling.request<TransportView>('media:create-transport', { direction: 'recv' }),
    ]);
    await this.#send(send);
    await this.#allRemoteAnnounced();
    await this.#receive(recv);
  }

  async #send(transport: TransportView): Promise<void> {
    const pc = peer();
    this.#peers.push(pc);
    const audio = pc.addTransceiver('audio', { direction: 'sendonly' });
    const video = pc.addTransceiver('video', { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const sections = [audio, video].map((t): MediaSection => {
      const kind = t.kind as 'audio' | 'video';
      return {
        kind,
        mid: t.mid!,
        direction: 'recvonly',
        codecs: [kind === 'audio' ? { ...OPUS, parameters: {} } : { ...VP8, rtcpFeedback: VIDEO_FEEDBACK }],
        headerExtensions: [{ id: 1, uri: MID_URI }],
      };
    });
    // As mediasoup-client does: the server learns our DTLS fingerprint before the answer is applied.
    await this.signaling.request('media:connect-transport', {
      transportId: transport.id,
      dtlsParameters: localDtlsParameters(pc.localDescription!.sdp),
    });
    await pc.setRemoteDescription({ type: 'answer', sdp: serverSdp(transport, sections, 'passive') });
    for (const t of [audio, video]) await this.#produce(transport.id, t);
  }

  async #produce(transportId: string, t: RTCRtpTransceiver): Promise<void> {
    const kind = t.kind as 'audio' | 'video';
    const codec = kind === 'audio' ? OPUS : { ...VP8, rtcpFeedback: VIDEO_FEEDBACK };
    await this.signaling.request('media:produce', {
      transportId,
      kind,
      source: kind === 'audio' ? 'microphone' : 'camera',
      rtpParameters: {
        mid: t.mid,
        codecs: [codec],
        headerExtensions: [{ uri: MID_URI, id: 1 }],
        encodings: [{ ssrc: t.sender.ssrc }],
        rtcp: { cname: this.participantId.slice(0, 32), reducedSize: true },
      },
    });
    const rate = kind === 'video' ? (this.options.videoRate ?? 1) : 1;
    const player = new RtpPlayer(
      kind === 'audio' ? this.clip.audio : this.clip.video,
      (p) => {
        // Dropped by werift until DTLS is up, as a browser's first frames would wait.
        t.sender.sendRtp(p).catch(() => undefined);
      },
      rate,
    );
    this.#players.push(player);
    this.ticker.add(player);
  }

  #allRemoteAnnounced(): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? 20_000;
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.#remote.size < this.options.expectRemote) return;
        clearTimeout(timer);
        this.#onRemote = undefined;
        resolve();
      };
      const timer = setTimeout(
        () => reject(new Error(`only ${this.#remote.size} of ${this.options.expectRemote} remote producers`)),
        timeoutMs,
      );
      this.#onRemote = check;
      check();
    });
  }

  async #receive(transport: TransportView): Promise<void> {
    const consumers = await Promise.all(
      [...this.#remote.values()].map((p) =>
        this.signaling.request<ConsumerView>('media:consume', {
          transportId: transport.id,
          producerId: p.producerId,
          rtpCapabilities: LOAD_CLIENT_CAPABILITIES,
        }),
      ),
    );
    const pc = peer();
    this.#peers.push(pc);
    const byMid = new Map<string, ReceiveStats>();
    const sections = consumers.map((c): MediaSection => {
      const mid = c.rtpParameters.mid!;
      const stats = new ReceiveStats(c.rtpParameters.codecs[0]!.clockRate);
      byMid.set(mid, stats);
      this.received.push({
        producerId: c.producerId,
        participantId: this.#remote.get(c.producerId)!.participantId,
        kind: c.kind,
        stats,
      });
      return {
        kind: c.kind,
        mid,
        direction: 'sendonly',
        codecs: c.rtpParameters.codecs,
        headerExtensions: c.rtpParameters.headerExtensions ?? [],
        ssrc: { ssrc: c.rtpParameters.encodings![0]!.ssrc!, cname: c.rtpParameters.rtcp?.cname ?? 'server' },
      };
    });
    pc.onTransceiverAdded.subscribe((t) => {
      t.onTrack.subscribe((track) => {
        const stats = byMid.get(t.mid ?? '');
        if (!stats) return;
        track.onReceiveRtp.subscribe((rtp) =>
          stats.onPacket(rtp.header.sequenceNumber, rtp.header.timestamp, performance.now()),
        );
      });
    });
    await pc.setRemoteDescription({ type: 'offer', sdp: serverSdp(transport, sections, 'actpass') });
    await pc.setLocalDescription(await pc.createAnswer());
    await this.signaling.request('media:connect-transport', {
      transportId: transport.id,
      dtlsParameters: localDtlsParameters(pc.localDescription!.sdp),
    });
    // Consumers were created paused (as the product's are); this client is ready for them now.
    await Promise.all(
      consumers.map((c) => this.signaling.request('media:resume-consumer', { consumerId: c.id })),
    );
  }

  startWindow(): void {
    for (const r of this.received) r.stats.startWindow();
  }

  async close(): Promise<void> {
    for (const p of this.#players) this.ticker.remove(p);
    await Promise.all(this.#peers.map((pc) => pc.close().catch(() => undefined)));
  }
}
