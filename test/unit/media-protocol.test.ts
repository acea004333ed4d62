import { getSupportedRtpCapabilities, type types as mediasoup } from 'mediasoup';
import type { types as client } from 'mediasoup-client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ClientMessages,
  type ClientMessage,
  type ClientPayload,
  type ConsumerView,
  type JoinedSession,
  type TransportView,
} from '../../common/protocol';

type Produce = ClientMessage<'media:produce'>;
type Consume = ClientMessage<'media:consume'>;

describe('media payloads are mediasoup types', () => {
  it('parse into what the server hands to mediasoup, and take what mediasoup-client gives', () => {
    // Compile-time checks (tsc runs over the tests): no cast is needed on either side.
    expectTypeOf<Produce['rtpParameters']>().toExtend<mediasoup.RtpParameters>();
    expectTypeOf<Produce['kind']>().toEqualTypeOf<mediasoup.MediaKind>();
    expectTypeOf<Consume['rtpCapabilities']>().toExtend<mediasoup.RtpCapabilities>();
    expectTypeOf<
      ClientMessage<'media:connect-transport'>['dtlsParameters']
    >().toExtend<mediasoup.DtlsParameters>();

    expectTypeOf<client.RtpParameters>().toExtend<ClientPayload<'media:produce'>['rtpParameters']>();
    expectTypeOf<client.DtlsParameters>().toExtend<
      ClientPayload<'media:connect-transport'>['dtlsParameters']
    >();
    // The schema insists on codecs (a loaded device always has them); the type leaves them optional.
    expectTypeOf<client.RtpCapabilities & { codecs: client.RtpCodecCapability[] }>().toExtend<
      ClientPayload<'media:consume'>['rtpCapabilities']
    >();
  });

  it('accept exactly the header extensions mediasoup knows', () => {
    type Uri = NonNullable<Produce['rtpParameters']['headerExtensions']>[number]['uri'];
    expectTypeOf<Uri>().toEqualTypeOf<mediasoup.RtpHeaderExtensionUri>();
    type CapabilityUri = NonNullable<Consume['rtpCapabilities']['headerExtensions']>[number]['uri'];
    expectTypeOf<CapabilityUri>().toEqualTypeOf<mediasoup.RtpHeaderExtensionUri>();

    // And at run time: every one a mediasoup router may offer is accepted back.
    const headerExtensions = getSupportedRtpCapabilities().headerExtensions ?? [];
    expect(headerExtensions.length).toBeGreaterThan(5);
    const parsed = ClientMessages['media:consume'].safeParse({
      transportId: 't',
      producerId: 'p',
      rtpCapabilities: { codecs: [], headerExtensions },
    });
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('describe what the server sends in types mediasoup-client takes (but for header-extension URIs)', () => {
    expectTypeOf<TransportView>().toExtend<
      Pick<client.TransportOptions, 'id' | 'iceParameters' | 'iceCandidates' | 'dtlsParameters'>
    >();
    expectTypeOf<TransportView['iceServers']>().toExtend<RTCIceServer[]>();
    expectTypeOf<TransportView['iceTransportPolicy']>().toExtend<RTCIceTransportPolicy>();
    expectTypeOf<ConsumerView['rtpParameters']>().toEqualTypeOf<mediasoup.RtpParameters>();
    expectTypeOf<JoinedSession['routerRtpCapabilities']>().toEqualTypeOf<mediasoup.RtpCapabilities>();
  });
});

/** What Chrome's mediasoup-client sends for a camera: with fields mediasoup ignores. */
const chromeVideo = {
  mid: '0',
  msid: '- 3f1c',
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: 96,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: [
        { type: 'goog-remb', parameter: '' },
        { type: 'nack' },
        { type: 'nack', parameter: 'pli' },
      ],
    },
    { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 }, rtcpFeedback: [] },
  ],
  headerExtensions: [
    { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1, encrypt: false, parameters: {} },
    { uri: 'urn:ietf:params:rtp-hdrext:toffset', id: 12, encrypt: false, parameters: {} },
  ],
  encodings: [
    { active: true, ssrc: 1234, rtx: { ssrc: 5678 }, maxBitrate: 1_500_000, maxFramerate: 30, dtx: false },
  ],
  rtcp: { cname: 'abc', reducedSize: true, mux: true },
};
const produce = (rtpParameters: unknown) =>
  ClientMessages['media:produce'].safeParse({
    transportId: 't',
    kind: 'video',
    rtpParameters,
    source: 'camera',
  });

describe('the media schemas', () => {
  it("take a browser's parameters and keep only what mediasoup reads", () => {
    const parsed = produce(chromeVideo);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const rtp = parsed.data!.rtpParameters;
    expect(rtp).not.toHaveProperty('msid');
    expect(rtp.rtcp).toEqual({ cname: 'abc', reducedSize: true });
    expect(rtp.encodings).toEqual([{ ssrc: 1234, rtx: { ssrc: 5678 }, maxBitrate: 1_500_000, dtx: false }]);
    expect(rtp.codecs[1]?.parameters).toEqual({ apt: 96 });
  });

  it('stop what mediasoup could not take, or that is only there to weigh on the server', () => {
    const video = chromeVideo;
    const [vp8] = video.codecs;
    const bad: Record<string, unknown> = {
      'unknown header extension': {
        ...video,
        headerExtensions: [{ uri: 'urn:example:spy', id: 3 }],
      },
      'payload type out of range': { ...video, codecs: [{ ...vp8, payloadType: 128 }] },
      'no codecs': { ...video, codecs: [] },
      'too many codecs': { ...video, codecs: Array.from({ length: 21 }, () => vp8) },
      'a parameter that is an object': {
        ...video,
        codecs: [{ ...vp8, parameters: { nested: { deep: 1 } } }],
      },
      'too many parameters': {
        ...video,
        codecs: [
          { ...vp8, parameters: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`p${i}`, i])) },
        ],
      },
      'a huge parameter': { ...video, codecs: [{ ...vp8, parameters: { x: 'x'.repeat(501) } }] },
      'an SSRC past 32 bits': { ...video, encodings: [{ ssrc: 2 ** 32 }] },
      'a header extension id of 0': {
        ...video,
        headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 0 }],
      },
      'too many encodings': { ...video, encodings: Array.from({ length: 11 }, (_, i) => ({ ssrc: i })) },
      'a long mime type': { ...video, codecs: [{ ...vp8, mimeType: `video/${'x'.repeat(50)}` }] },
    };
    for (const [what, rtpParameters] of Object.entries(bad)) {
      expect(produce(rtpParameters).success, what).toBe(false);
    }
  });

  it('check capabilities as closely', () => {
    const consume = (rtpCapabilities: unknown) =>
      ClientMessages['media:consume'].safeParse({ transportId: 't', producerId: 'p', rtpCapabilities });
    const opus = {
      kind: 'audio',
      mimeType: 'audio/opus',
      preferredPayloadType: 100,
      clockRate: 48000,
      channels: 2,
    };
    expect(consume({ codecs: [opus] }).success).toBe(true);
    expect(consume({}).success).toBe(false);
    expect(consume({ codecs: [{ ...opus, kind: 'data' }] }).success).toBe(false);
    expect(consume({ codecs: [{ ...opus, preferredPayloadType: undefined }] }).success).toBe(false);
    expect(consume({ codecs: Array.from({ length: 101 }, () => opus) }).success).toBe(false);
  });
});
