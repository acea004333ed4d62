import type { types } from 'mediasoup-client';
import type { ClientPayload, ConsumerView, RouterRtpCapabilities } from '../../../common/protocol';

// The server sends what its mediasoup made, in mediasoup's types. mediasoup-client's types say the
// same but for one thing: its list of header-extension URIs lacks one mediasoup offers
// ('urn:ietf:params:rtp-hdrext:toffset'), which mediasoup-client passes through like any other at
// run time. So each URI is retyped here, and only the URI: every other field is checked against
// mediasoup-client's types as it is copied.

type ServerUri = NonNullable<RouterRtpCapabilities['headerExtensions']>[number]['uri'];

const withClientUris = <E extends { uri: ServerUri }>(extensions: E[]) =>
  extensions.map((ext) => ({ ...ext, uri: ext.uri as types.RtpHeaderExtensionUri }));

/** The router's capabilities, for Device.load(). */
export function deviceCapabilities(caps: RouterRtpCapabilities): types.RtpCapabilities {
  const { headerExtensions, ...rest } = caps;
  return { ...rest, ...(headerExtensions && { headerExtensions: withClientUris(headerExtensions) }) };
}

/** A server consumer's RTP parameters, for Transport.consume(). */
export function consumerParameters(params: ConsumerView['rtpParameters']): types.RtpParameters {
  const { headerExtensions, ...rest } = params;
  return { ...rest, ...(headerExtensions && { headerExtensions: withClientUris(headerExtensions) }) };
}

/** What a loaded device can receive, for `media:consume` (it always lists codecs; the type does not say so). */
export function recvCapabilities(
  caps: types.RtpCapabilities,
): ClientPayload<'media:consume'>['rtpCapabilities'] {
  const { codecs = [], headerExtensions } = caps;
  return { codecs, ...(headerExtensions && { headerExtensions }) };
}
