/**
 * The signalling protocol shared by server and client: typed event maps per namespace and a zod
 * schema for every message a client may send. Types are not validation: the server parses every
 * inbound payload with these schemas before it touches state.
 */
import type { types as mediasoup } from 'mediasoup';
import { z } from 'zod';

import type { ErrorCode } from './errors';
import { AWAY_REASONS, type AwayReason } from './presence';

export { ERROR_CODES, type ErrorCode } from './errors';
export interface AckError {
  code: ErrorCode;
  message: string;
}
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };
export type AckCallback<T> = (response: Ack<T>) => void;

export const Role = z.enum(['caller', 'agent', 'interpreter']);
export type Role = z.infer<typeof Role>;
export const CallMode = z.enum(['video', 'text']);
export type CallMode = z.infer<typeof CallMode>;

/** A BCP-47 tag, canonicalised; rejects anything Intl does not accept. */
export const LanguageTag = z
  .string()
  .min(2)
  .max(35)
  .transform((tag, ctx) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      // fall through to the issue below
    }
    ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP-47 language tag` });
    return z.NEVER;
  });

const Id = z.string().min(1).max(100);
export const CHAT_MAX_LENGTH = 2000;
// socket.io sends a missing payload as null.
const Empty = z.object({}).strict().nullish();

// Media payloads: shaped exactly like mediasoup's own types (each schema `satisfies` one), so what
// parses is what the server's mediasoup takes, with nothing cast. Unknown keys are stripped (browsers
// add some mediasoup ignores); every array and string is bounded so hostile payloads stop here.
const MediaKind = z.enum(['audio', 'video']);
const PayloadType = z.number().int().min(0).max(127);
const Ssrc = z.number().int().min(0).max(0xffff_ffff);
const ExtensionId = z.number().int().min(1).max(255);
const MimeType = z.string().max(50);
const ClockRate = z.number().int().positive();
const Channels = z.number().int().min(1).max(16);

/** Every header extension mediasoup knows; it refuses any other (test/unit/media-protocol checks the list). */
const HEADER_EXTENSION_URIS = [
  'urn:ietf:params:rtp-hdrext:sdes:mid',
  'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'urn:3gpp:video-orientation',
  'urn:ietf:params:rtp-hdrext:toffset',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time',
  'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
  'https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension',
] as const satisfies readonly mediasoup.RtpHeaderExtensionUri[];
// Any string in (mediasoup-client types its URIs differently), only mediasoup's URIs out.
const HeaderExtensionUri = z.string().max(200).pipe(z.enum(HEADER_EXTENSION_URIS));

/**
 * Codec and header-extension parameters. Both libraries type the values `unknown`, so anything goes
 * in; what comes out is what mediasoup takes: a handful of strings and numbers.
 */
const MediaParameters = z
  .record(z.string().max(100), z.unknown())
  .refine((p) => Object.keys(p).length <= 30, 'at most 30 parameters')
  .pipe(z.record(z.string(), z.union([z.string().max(500), z.number()])));
const RtcpFeedback = z.object({ type: z.string().max(50), parameter: z.string().max(50).optional() });

const DtlsParameters = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: z.string().max(200),
      }),
    )
    .min(1)
    .max(10),
}) satisfies z.ZodType<mediasoup.DtlsParameters>;

const RtpParameters = z.object({
  mid: z.string().max(20).optional(),
  codecs: z
    .array(
      z.object({
        mimeType: MimeType,
        payloadType: PayloadType,
        clockRate: ClockRate,
        channels: Channels.optional(),
        parameters: MediaParameters.optional(),
        rtcpFeedback: z.array(RtcpFeedback).max(20).optional(),
      }),
    )
    .min(1)
    .max(20),
  headerExtensions: z
    .array(
      z.object({
        uri: HeaderExtensionUri,
        id: ExtensionId,
        encrypt: z.boolean().optional(),
        parameters: MediaParameters.optional(),
      }),
    )
    .max(30)
    .optional(),
  encodings: z
    .array(
      z.object({
        ssrc: Ssrc.optional(),
        rid: z.string().max(32).optional(),
        codecPayloadType: PayloadType.optional(),
        rtx: z.object({ ssrc: Ssrc }).optional(),
        dtx: z.boolean().optional(),
        scalabilityMode: z.string().max(20).optional(),
        maxBitrate: z.number().nonnegative().max(0xffff_ffff).optional(),
      }),
    )
    .max(10)
    .optional(),
  rtcp: z.object({ cname: z.string().max(100).optional(), reducedSize: z.boolean().optional() }).optional(),
}) satisfies z.ZodType<mediasoup.RtpParameters>;

const RtpCapabilities = z.object({
  // Required, unlike in mediasoup's type: a loaded device always has codecs.
  codecs: z
    .array(
      z.object({
        kind: MediaKind,
        mimeType: MimeType,
        preferredPayloadType: PayloadType,
        clockRate: ClockRate,
        channels: Channels.optional(),
        parameters: MediaParameters.optional(),
        rtcpFeedback: z.array(RtcpFeedback).max(20).optional(),
      }),
    )
    .max(100),
  headerExtensions: z
    .array(
      z.object({
        kind: MediaKind,
        uri: HeaderExtensionUri,
        preferredId: ExtensionId,
        preferredEncrypt: z.boolean().optional(),
        direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
      }),
    )
    .max(100)
    .optional(),
}) satisfies z.ZodType<mediasoup.RtpCapabilities>;

export const ClientMessages = {
  // lobby, caller side
  'lobby:request': z.object({ language: LanguageTag, mode: CallMode }).strict(),
  'lobby:cancel': Empty,
  'lobby:resume': z.object({ resumeKey: z.string().min(20).max(200) }).strict(),
  'lobby:choose-fallback': z.object({ choice: z.enum(['wait', 'text', 'callback']) }).strict(),
  'call:rate': z
    .object({ surveyKey: z.string().min(20).max(200), rating: z.number().int().min(1).max(5) })
    .strict(),
  // lobby, agent side
  // Going away takes a reason (common/presence.ts); it is kept in the presence intervals.
  'agent:set-presence': z.discriminatedUnion('presence', [
    z.object({ presence: z.literal('available') }).strict(),
    z.object({ presence: z.literal('away'), reason: z.enum(AWAY_REASONS) }).strict(),
  ]),
  'agent:accept-offer': z.object({ offerId: Id }).strict(),
  'agent:decline-offer': z.object({ offerId: Id }).strict(),
  'agent:request-interpreter': z.object({ language: LanguageTag.optional() }).strict(),
  'agent:remove-interpreter': z.object({ replace: z.boolean() }).strict(),
  // volunteers
  'volunteer:set-presence': z.object({ presence: z.enum(['available', 'away']) }).strict(),
  'volunteer:accept-invitation': z.object({ invitationId: Id }).strict(),
  'volunteer:decline-invitation': z.object({ invitationId: Id }).strict(),
  'agent:wrap-up': z
    .object({
      resolved: z.boolean(),
      category: z
        .enum(['information', 'complaint', 'application', 'welfare', 'transport', 'other'])
        .optional(),
      note: z.string().max(500).optional(),
    })
    .strict(),
  // in a call, every role
  'session:join': z.object({ token: z.string().min(20).max(200) }).strict(),
  'session:hangup': Empty,
  'media:create-transport': z.object({ direction: z.enum(['send', 'recv']) }).strict(),
  'media:connect-transport': z.object({ transportId: Id, dtlsParameters: DtlsParameters }).strict(),
  'media:produce': z
    .object({
      transportId: Id,
      kind: MediaKind,
      rtpParameters: RtpParameters,
      source: z.enum(['camera', 'microphone']),
    })
    .strict(),
  'media:consume': z.object({ transportId: Id, producerId: Id, rtpCapabilities: RtpCapabilities }).strict(),
  'media:resume-consumer': z.object({ consumerId: Id }).strict(),
  'media:set-producer-paused': z.object({ producerId: Id, paused: z.boolean() }).strict(),
  /** The browser's media connection failed: drop its transports so it can set up new ones. */
  'media:restart': Empty,
  // text beside the video: messages, and real-time text (the sender's whole draft as it is typed)
  'chat:send': z.object({ text: z.string().trim().min(1).max(CHAT_MAX_LENGTH) }).strict(),
  'rtt:update': z.object({ text: z.string().max(CHAT_MAX_LENGTH) }).strict(),
} as const;
export type ClientMessageName = keyof typeof ClientMessages;
export type ClientMessage<K extends ClientMessageName> = z.output<(typeof ClientMessages)[K]>;
/** What a client sends (before parsing): the schema's input side. */
export type ClientPayload<K extends ClientMessageName> = z.input<(typeof ClientMessages)[K]>;

export interface ParticipantView {
  participantId: string;
  role: Role;
  displayName: string | null;
  connected: boolean;
}
export interface ProducerView {
  producerId: string;
  participantId: string;
  kind: 'audio' | 'video';
  source: 'camera' | 'microphone';
  paused: boolean;
}
export interface JoinedSession {
  sessionId: string;
  participantId: string;
  role: Role;
  language: string;
  mode: CallMode;
  routerRtpCapabilities: RouterRtpCapabilities;
  /**
   * Which router carries the call now: it changes when the call moves (a lost host, a dead
   * worker). A participant who rejoins and finds another than theirs missed the move and must set
   * their media up again.
   */
  mediaId: string;
  participants: ParticipantView[];
  /** The call's last messages (in memory for the call only; a bounded window, for someone who joins late). */
  chat: ChatMessage[];
  interpreter: InterpreterStatus;
}
export interface ChatMessage {
  messageId: string;
  participantId: string;
  role: Role;
  text: string;
  at: number;
}
export interface RttDraft {
  participantId: string;
  role: Role;
  text: string;
}
// What the server's mediasoup hands out, in its types. mediasoup-client's types differ slightly (see
// client/src/media/wire.ts), so the client adapts them in one place.
export type RouterRtpCapabilities = mediasoup.RtpCapabilities;
/** A TURN server with short-lived credentials, as RTCPeerConnection takes it (RTCIceServer). */
export interface IceServerView {
  urls: string[];
  username: string;
  credential: string;
}
/**
 * How the browser may reach the media server: `relay` allows only TURN-relayed candidates (a test
 * of a deployment's TURN, and it hides the browser's own addresses from the other side).
 */
export interface IceConfig {
  iceServers: IceServerView[];
  iceTransportPolicy: 'all' | 'relay';
}
export interface TransportView extends IceConfig {
  id: string;
  iceParameters: mediasoup.IceParameters;
  iceCandidates: mediasoup.IceCandidate[];
  dtlsParameters: mediasoup.DtlsParameters;
}
export interface ConsumerView {
  id: string;
  producerId: string;
  kind: mediasoup.MediaKind;
  rtpParameters: mediasoup.RtpParameters;
}
export interface QueueView {
  position: number;
  estimatedWaitMs: number | null;
}
export interface OfferView {
  offerId: string;
  language: string;
  mode: CallMode;
  waitedMs: number;
  expiresAt: number;
  needsInterpreter: boolean;
  /** The caller asked to be called back and may take a moment to come to the screen. */
  callback: boolean;
  /** A video offer: what the call's router will carry, so the page can load its Device while it rings. */
  routerRtpCapabilities?: RouterRtpCapabilities;
}
export type FallbackChoice = 'wait' | 'text' | 'callback';
export interface FallbackView {
  options: FallbackChoice[];
  reason: 'long-wait' | 'no-capacity';
}
export type ResumeResult = { status: 'waiting'; view: QueueView } | { status: 'matched'; token: string };
export interface InvitationView {
  invitationId: string;
  language: string;
  expiresAt: number;
  /** What the call's router carries: the page loads its Device while it rings (the camera stays off). */
  routerRtpCapabilities?: RouterRtpCapabilities;
}
export type VolunteerPresence = 'offline' | 'available' | 'invited' | 'in-call' | 'away';
/** Online is not enough to be rung: only within one's weekly hours. */
export interface VolunteerStatus {
  presence: VolunteerPresence;
  withinHours: boolean;
}
export type InterpreterStatus =
  { status: 'searching'; language: string } | { status: 'joined' } | { status: 'none' };
export type AgentPresence = 'offline' | 'available' | 'offered' | 'in-call' | 'wrap-up' | 'away';
/**
 * `shutdown`: the server stopped for maintenance after its drain limit, with the call still going.
 * `caller-no-show`: the caller never came to the call; the agent owes no wrap-up.
 */
export type EndReason =
  'hangup' | 'media-failed' | 'participant-lost' | 'removed' | 'shutdown' | 'caller-no-show';

/** What each inbound message answers with (the ack's data). */
export interface ClientAcks {
  'lobby:request': QueueView & {
    resumeKey: string;
    /** A video call's router will carry these: the page loads its Device while the caller waits. */
    routerRtpCapabilities?: RouterRtpCapabilities;
  };
  'lobby:cancel': null;
  'lobby:resume': ResumeResult;
  'lobby:choose-fallback': null;
  'call:rate': null;
  'agent:request-interpreter': null;
  'agent:remove-interpreter': null;
  'volunteer:set-presence': VolunteerStatus;
  'volunteer:accept-invitation': { token: string };
  'volunteer:decline-invitation': null;
  'agent:set-presence': { presence: AgentPresence; reason?: AwayReason };
  'agent:accept-offer': { token: string };
  'agent:decline-offer': null;
  'agent:wrap-up': { presence: AgentPresence };
  'session:join': JoinedSession & { producers: ProducerView[] };
  'session:hangup': null;
  'media:create-transport': TransportView;
  'media:connect-transport': null;
  'media:produce': { producerId: string };
  'media:consume': ConsumerView;
  'media:resume-consumer': null;
  'media:set-producer-paused': null;
  'media:restart': {
    producers: ProducerView[];
    routerRtpCapabilities: RouterRtpCapabilities;
    mediaId: string;
  };
  'chat:send': ChatMessage;
  'rtt:update': null;
}

export type ClientToServerEvents = {
  [K in ClientMessageName]: (payload: ClientPayload<K>, ack: AckCallback<ClientAcks[K]>) => void;
};

export interface SessionServerEvents {
  /** Joined the call for the first time. */
  'session:participant-joined': (p: ParticipantView) => void;
  /** Their connection dropped mid-call; they have the reconnect grace to come back. */
  'session:participant-away': (p: { participantId: string; role: Role }) => void;
  /** Back after being away. */
  'session:participant-back': (p: { participantId: string; role: Role }) => void;
  /** Out of the call for good while it goes on (an interpreter who left, was removed or was lost). */
  'session:participant-left': (p: { participantId: string; role: Role }) => void;
  'session:producer-added': (p: ProducerView) => void;
  'session:producer-closed': (p: { producerId: string }) => void;
  'session:producer-paused': (p: { producerId: string; participantId: string; paused: boolean }) => void;
  'session:ended': (p: { reason: EndReason }) => void;
  'session:interpreter': (s: InterpreterStatus) => void;
  /** The call's media server changed (a worker died): set media up again, the call goes on. */
  'session:media-restart': () => void;
  'chat:message': (m: ChatMessage) => void;
  'rtt:draft': (d: RttDraft) => void;
}
export interface CallerServerEvents extends SessionServerEvents {
  'lobby:position': (p: QueueView) => void;
  'lobby:matched': (p: { token: string }) => void;
  /** The agent vanished during the call: the caller is back in line, first. */
  'lobby:requeued': (p: QueueView) => void;
  'lobby:fallback': (p: FallbackView) => void;
  /** After the call: the caller may rate it, once, with this key. */
  'call:survey': (p: { surveyKey: string; language: string }) => void;
}
/** What only staff pages hear. */
export interface StaffServerEvents {
  /** The server ended this sign-in (account disabled, password changed, signed out everywhere): the
   * connection closes next. */
  'auth:signed-out': (p: { code: ErrorCode }) => void;
}
export interface AgentServerEvents extends SessionServerEvents, StaffServerEvents {
  'agent:offer': (p: OfferView) => void;
  'agent:offer-ended': (p: { offerId: string; reason: 'expired' | 'withdrawn' | 'taken' }) => void;
  /** `reason` when away: the one the agent chose, or 'missed-offers' when the lobby set them away. */
  'agent:presence': (p: { presence: AgentPresence; reason?: AwayReason }) => void;
}
export interface VolunteerServerEvents extends SessionServerEvents, StaffServerEvents {
  'volunteer:invitation': (p: InvitationView) => void;
  'volunteer:invitation-ended': (p: {
    invitationId: string;
    reason: 'taken' | 'expired' | 'cancelled';
  }) => void;
  'volunteer:presence': (p: VolunteerStatus) => void;
}
