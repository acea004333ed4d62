import type { types } from 'mediasoup';
import type { TypedEmitter } from '../util/TypedEmitter';
import type {
  CallMediaEvents,
  ConsumerInfo,
  Direction,
  MediaSource,
  ProducerInfo,
  TransportInfo,
} from './CallMedia';

/**
 * What a call needs of its media, wherever its router lives: on this node's workers (CallMedia)
 * or on another node of the cluster (RemoteCallMedia). Every operation names the participant.
 * Membership changes (add, remove, reset, close) are orders that take effect in the order given,
 * before any later request of the same call.
 */
export interface CallMediaPort extends Pick<TypedEmitter<CallMediaEvents>, 'on' | 'once' | 'off'> {
  /** The node whose workers carry this call's media (its WebRtcServer is what browsers reach). */
  readonly hostNodeId: string;
  /** The id its host knows the call's router by (a moved call's differs from its first). */
  readonly callId: string;
  readonly closed: boolean;
  readonly rtpCapabilities: types.RtpCapabilities;
  addParticipant(participantId: string): void;
  removeParticipant(participantId: string): void;
  resetParticipant(participantId: string): void;
  close(): void;
  /**
   * Stops controlling the call without closing it: no more events, no orders. A node that stopped
   * leading lets go of its calls so; the new leader takes them over on their hosts.
   */
  release(): void;
  createTransport(participantId: string, direction: Direction): Promise<TransportInfo>;
  connectTransport(
    participantId: string,
    transportId: string,
    dtlsParameters: types.DtlsParameters,
  ): Promise<void>;
  produce(
    participantId: string,
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
    source: MediaSource,
  ): Promise<string>;
  /** Every producer in the call except the participant's own: what they should consume. */
  producersFor(participantId: string): Promise<ProducerInfo[]>;
  consume(
    participantId: string,
    transportId: string,
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<ConsumerInfo>;
  resumeConsumer(participantId: string, consumerId: string): Promise<void>;
  setProducerPaused(participantId: string, producerId: string, paused: boolean): Promise<void>;
}

/** A live call another leader controlled, as the desks' store has it. */
export interface MediaToResume {
  matchId: string;
  /** The router's id on its host, and the host. */
  mediaCallId: string;
  hostNodeId: string;
  participantIds: string[];
}

/** Opens a call's media: on this node, or on the node the cluster's load rule chooses. */
export interface MediaPlacement {
  open(callId: string): Promise<CallMediaPort>;
  /**
   * Takes over a call's media after a change of leader: its router where it is, or, when its
   * host is gone (it may have been the old leader), a new one with the participants added
   * (`moved`: every browser must set media up again). Cluster only.
   */
  resume?(call: MediaToResume): Promise<{ media: CallMediaPort; moved: boolean }>;
}
