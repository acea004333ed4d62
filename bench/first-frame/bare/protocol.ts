// The bare flow's own signalling: the least a mediasoup-client page needs to send and receive,
// and nothing of the product (no lobby, no tokens, no sessions). Shared by the page and the server.
import type { types } from 'mediasoup';
import { z } from 'zod';

/** One side of a bare call: `a` starts it (as the agent accepts), `b` is told to go. */
export const Peer = z.enum(['a', 'b']);
export type Peer = z.infer<typeof Peer>;

export const Handshake = z.object({ room: z.string().min(1).max(64), peer: Peer });

/** What the server tells a page once a router exists for its room. */
export interface BareGo {
  routerRtpCapabilities: types.RtpCapabilities;
}

export interface BareTransport {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

// The page is bench code talking to bench code: payloads are still parsed on the server, but only
// to the depth the server reads them (mediasoup checks the RTP and DTLS shapes itself).
const Id = z.string().min(1).max(100);
const Json = z.record(z.string(), z.unknown());
export const BareMessages = {
  start: z.object({}).strict(),
  'connect-transport': z.object({ transportId: Id, dtlsParameters: Json }).strict(),
  produce: z.object({ kind: z.enum(['audio', 'video']), rtpParameters: Json }).strict(),
  consume: z.object({ producerId: Id, rtpCapabilities: Json }).strict(),
  resume: z.object({ consumerId: Id }).strict(),
};

export interface BareConsumer {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: types.RtpParameters;
}
