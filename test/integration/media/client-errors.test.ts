import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ErrorCode, RelayError } from '../../../common/errors';
import { type ClientPayload, ClientMessages } from '../../../common/protocol';
import { CallMedia, MEDIA_LIMITS, WorkerPool } from '../../../server/src/media';
import { establishCall } from '../../helpers/calls';
import { fakeRtpParameters, ok, startTestApp, type TestApp } from '../../helpers/testApp';
import { until } from '../../helpers/waiting';
import { recordingLog } from '../../helpers/recordingLog';

const DTLS = ClientMessages['media:connect-transport'].parse({
  transportId: 't',
  dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA:BB' }] },
}).dtlsParameters;
const WARN = 40;

const vp8 = fakeRtpParameters('video', 1111);
type RtpParametersIn = ClientPayload<'media:produce'>['rtpParameters'];
const h264 = {
  mimeType: 'video/H264',
  payloadType: 96,
  clockRate: 90000,
  parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
};
function rtx(payloadType: number, apt: number) {
  return { mimeType: 'video/rtx', payloadType, clockRate: 90000, parameters: { apt } };
}
/** RTP parameters that pass our schema but that mediasoup refuses, with what mediasoup throws. */
const refusedByMediasoup: [what: string, rtpParameters: RtpParametersIn, thrown: string][] = [
  [
    'a codec the router lacks',
    { ...vp8, codecs: [{ ...vp8.codecs[0]!, mimeType: 'video/VP9' }] },
    'UnsupportedError',
  ],
  // The worker's own check: a TypeError sent back over the channel.
  ['two codecs on one payload type', { ...vp8, codecs: [vp8.codecs[0]!, h264] }, 'TypeError'],
  [
    'RTX for a payload type that is not there',
    {
      ...vp8,
      codecs: [vp8.codecs[0]!, rtx(97, 100)],
    },
    'TypeError',
  ],
  ['RTX alone, with no media codec', { ...vp8, codecs: [rtx(97, 96)] }, 'TypeError'],
  [
    'a clock rate the codec does not have',
    { ...vp8, codecs: [{ ...vp8.codecs[0]!, clockRate: 8000 }] },
    'UnsupportedError',
  ],
  ['an empty MID', { ...vp8, mid: '' }, 'TypeError'],
  [
    'an encoding naming a payload type that is not there',
    { ...vp8, encodings: [{ ssrc: 1, codecPayloadType: 100 }] },
    'TypeError',
  ],
  // A plain Error from the worker, known by its message (refusals.ts).
  ['RTX on the media stream’s own SSRC', { ...vp8, encodings: [{ ssrc: 7, rtx: { ssrc: 7 } }] }, 'Error'],
];

/** The payload as the server has it after parsing: proof that the schema let it through. */
const parsedVideo = (rtpParameters: RtpParametersIn) =>
  ClientMessages['media:produce'].parse({ transportId: 't', kind: 'video', rtpParameters, source: 'camera' })
    .rtpParameters;

/** What the worker itself holds for a call: proof that a refusal created nothing, or freed it. */
async function objectsInWorker(media: CallMedia) {
  const dump = await media.router.dump();
  return {
    transports: dump.transportIds.length,
    producers: dump.mapProducerIdConsumerIds.length,
    consumers: dump.mapConsumerIdProducerId.length,
  };
}

const parsedAudio = ClientMessages['media:produce'].parse({
  transportId: 't',
  kind: 'audio',
  rtpParameters: fakeRtpParameters('audio', 2222),
  source: 'microphone',
}).rtpParameters;
/** The i-th of several audio streams on one transport: a MID and SSRC of its own. */
const audioOn = (i: number) => ({ ...parsedAudio, mid: `a${i}`, encodings: [{ ssrc: 5000 + i }] });

async function expectRefusal(attempt: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(attempt).rejects.toBeInstanceOf(RelayError);
  await expect(attempt).rejects.toMatchObject({ code });
}

describe('CallMedia turns what a client got wrong into RelayErrors, and holds its caps, against the real worker', () => {
  const recorded = recordingLog();
  let pool: WorkerPool;
  let media: CallMedia;
  let calls = 0;
  beforeAll(async () => {
    pool = await WorkerPool.create(
      { workers: 1, listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', port: 0 },
      recorded.log,
    );
  });
  beforeEach(async () => {
    media = await CallMedia.create(pool, `call-${++calls}`, recorded.log);
    media.addParticipant('sender');
    media.addParticipant('receiver');
  });
  afterEach(() => {
    media.close();
    // A refusal is the client's doing: a warning at most, never an error.
    expect(recorded.errors()).toEqual([]);
  });
  afterAll(() => pool.close());

  it('refuses a second connect of one transport as invalid-state; the first stands', async () => {
    const send = await media.createTransport('sender', 'send');
    await media.connectTransport('sender', send.id, DTLS);
    await expectRefusal(media.connectTransport('sender', send.id, DTLS), 'invalid-state');
    // Still usable: the transport was not harmed by the refused request.
    await media.produce('sender', send.id, 'video', parsedVideo(vp8), 'camera');
  });

  it.each(refusedByMediasoup)('refuses %s as media-rejected', async (_, rtpParameters, thrown) => {
    const send = await media.createTransport('sender', 'send');
    const before = recorded.lines.length;
    const attempt = media.produce('sender', send.id, 'video', parsedVideo(rtpParameters), 'camera');
    await expectRefusal(attempt, 'media-rejected');
    await expect(attempt).rejects.toMatchObject({ cause: { name: thrown } });
    expect(recorded.lines.slice(before)).toEqual([
      expect.objectContaining({ level: WARN, msg: 'media request refused', code: 'media-rejected' }),
    ]);
    expect(await media.producersFor('receiver')).toEqual([]);
  });

  it('refuses a second stream with the same MID on one transport as media-rejected', async () => {
    const send = await media.createTransport('sender', 'send');
    await media.produce('sender', send.id, 'video', parsedVideo(vp8), 'camera');
    const again = parsedVideo({ ...vp8, encodings: [{ ssrc: 2222 }] });
    // A plain Error from the worker ("MID already exists in RTP listener"), known by its message.
    const attempt = media.produce('sender', send.id, 'video', again, 'camera');
    await expectRefusal(attempt, 'media-rejected');
    await expect(attempt).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/^MID already exists/) },
    });
  });

  it('refuses to consume with capabilities that cannot decode the producer', async () => {
    const send = await media.createTransport('sender', 'send');
    const producerId = await media.produce('sender', send.id, 'video', parsedVideo(vp8), 'camera');
    const recv = await media.createTransport('receiver', 'recv');
    const opusOnly = {
      codecs: (media.rtpCapabilities.codecs ?? []).filter((c) => c.mimeType === 'audio/opus'),
    };
    await expectRefusal(media.consume('receiver', recv.id, producerId, opusOnly), 'media-rejected');
  });

  it('refuses to resume a consumer closed under the request as invalid-state', async () => {
    const send = await media.createTransport('sender', 'send');
    const producerId = await media.produce('sender', send.id, 'video', parsedVideo(vp8), 'camera');
    const recv = await media.createTransport('receiver', 'recv');
    const consumer = await media.consume('receiver', recv.id, producerId, media.rtpCapabilities);
    // The producer goes; the worker closes the consumer before it reads the resume request.
    media.resetParticipant('sender');
    await expectRefusal(media.resumeConsumer('receiver', consumer.id), 'invalid-state');
    // Once the consumer is gone from the call it is simply not found.
    await expectRefusal(media.resumeConsumer('receiver', consumer.id), 'not-found');
  });

  it('refuses a producer whose codec is of another kind than it says as media-rejected', async () => {
    const send = await media.createTransport('sender', 'send');
    // mediasoup itself would take this VP8 "microphone".
    const attempt = media.produce('sender', send.id, 'audio', parsedVideo(vp8), 'microphone');
    await expectRefusal(attempt, 'media-rejected');
    expect(await objectsInWorker(media)).toMatchObject({ producers: 0 });
  });

  it('refuses to consume one producer twice as invalid-state', async () => {
    const send = await media.createTransport('sender', 'send');
    const producerId = await media.produce('sender', send.id, 'video', parsedVideo(vp8), 'camera');
    const recv = await media.createTransport('receiver', 'recv');
    await media.consume('receiver', recv.id, producerId, media.rtpCapabilities);
    await expectRefusal(
      media.consume('receiver', recv.id, producerId, media.rtpCapabilities),
      'invalid-state',
    );
    expect(await objectsInWorker(media)).toMatchObject({ consumers: 1 });
  });

  it('refuses, and closes, what the worker made on a transport closed under the request', async () => {
    const send = await media.createTransport('sender', 'send');
    const recv = await media.createTransport('receiver', 'recv');
    const producerId = await media.produce('sender', send.id, 'video', parsedVideo(vp8), 'camera');
    // The worker reads the consume before the receiver's close, and answers it: mediasoup hands
    // back a consumer on a transport that is gone.
    const consuming = media.consume('receiver', recv.id, producerId, media.rtpCapabilities);
    media.resetParticipant('receiver');
    await expectRefusal(consuming, 'invalid-state');
    const producing = media.produce('sender', send.id, 'audio', parsedAudio, 'microphone');
    media.resetParticipant('sender');
    await expectRefusal(producing, 'invalid-state');
    expect(await objectsInWorker(media)).toEqual({ transports: 0, producers: 0, consumers: 0 });
    expect(media.consumerCount).toBe(0);
    // Nothing lingers toward a cap: the full set can be made again.
    const again = await media.createTransport('sender', 'send');
    for (let i = 0; i < MEDIA_LIMITS.producers; i++) {
      await media.produce('sender', again.id, 'audio', audioOn(i), 'microphone');
    }
  });

  it('refuses to pause a producer or connect a transport closed under the request as invalid-state', async () => {
    const send = await media.createTransport('sender', 'send');
    const producerId = await media.produce('sender', send.id, 'video', parsedVideo(vp8), 'camera');
    const pausing = media.setProducerPaused('sender', producerId, true);
    const connecting = media.connectTransport('sender', send.id, DTLS);
    media.resetParticipant('sender');
    await expectRefusal(pausing, 'invalid-state');
    await expectRefusal(connecting, 'invalid-state');
  });

  it('refuses a transport past the cap of its direction, even asked all at once, and makes none', async () => {
    const asked = 3 * MEDIA_LIMITS.transportsPerDirection;
    const before = recorded.lines.length;
    const answers = await Promise.allSettled(
      Array.from({ length: asked }, () => media.createTransport('sender', 'send')),
    );
    const made = answers.filter((a) => a.status === 'fulfilled');
    const refused = answers.flatMap((a) => (a.status === 'rejected' ? [a.reason as RelayError] : []));
    expect(made).toHaveLength(MEDIA_LIMITS.transportsPerDirection);
    expect(refused.map((r) => r.code)).toEqual(Array(asked - made.length).fill('limit-reached'));
    expect(refused[0]?.message).toBe(
      `at most ${MEDIA_LIMITS.transportsPerDirection} send transports per participant`,
    );
    expect(recorded.lines.slice(before)).toEqual(
      refused.map(() => expect.objectContaining({ level: WARN, code: 'limit-reached' })),
    );
    // The other direction has a cap of its own.
    await media.createTransport('sender', 'recv');
    expect(await objectsInWorker(media)).toMatchObject({
      transports: MEDIA_LIMITS.transportsPerDirection + 1,
    });
  });

  it('gives the whole allowance back on a media restart, as often as it is needed', async () => {
    for (let restart = 0; restart < 5; restart++) {
      for (let i = 0; i < MEDIA_LIMITS.transportsPerDirection; i++) {
        await media.createTransport('sender', 'send');
        await media.createTransport('sender', 'recv');
      }
      await expectRefusal(media.createTransport('sender', 'recv'), 'limit-reached');
      media.resetParticipant('sender');
      expect(await objectsInWorker(media)).toEqual({ transports: 0, producers: 0, consumers: 0 });
    }
  });

  it('refuses a producer past the cap and makes none', async () => {
    const send = await media.createTransport('sender', 'send');
    const made = await Promise.allSettled(
      Array.from({ length: MEDIA_LIMITS.producers + 2 }, (_, i) =>
        media.produce('sender', send.id, 'audio', audioOn(i), 'microphone'),
      ),
    );
    expect(made.filter((a) => a.status === 'fulfilled')).toHaveLength(MEDIA_LIMITS.producers);
    await expectRefusal(
      media.produce('sender', send.id, 'audio', audioOn(99), 'microphone'),
      'limit-reached',
    );
    expect(await objectsInWorker(media)).toMatchObject({ producers: MEDIA_LIMITS.producers });
  });

  it('refuses a consumer past the cap and makes none', async () => {
    // More producers than the cap, from several others in the call.
    const producerIds: string[] = [];
    for (let other = 0; producerIds.length <= MEDIA_LIMITS.consumers; other++) {
      media.addParticipant(`other-${other}`);
      const send = await media.createTransport(`other-${other}`, 'send');
      for (let i = 0; i < MEDIA_LIMITS.producers; i++) {
        producerIds.push(await media.produce(`other-${other}`, send.id, 'audio', audioOn(i), 'microphone'));
      }
    }
    const recv = await media.createTransport('receiver', 'recv');
    const [allowed, over] = [
      producerIds.slice(0, MEDIA_LIMITS.consumers),
      producerIds[MEDIA_LIMITS.consumers]!,
    ];
    for (const producerId of allowed)
      await media.consume('receiver', recv.id, producerId, media.rtpCapabilities);
    await expectRefusal(media.consume('receiver', recv.id, over, media.rtpCapabilities), 'limit-reached');
    expect(await objectsInWorker(media)).toMatchObject({ consumers: MEDIA_LIMITS.consumers });
    // A consumer closed (its producer went) frees its place.
    media.resetParticipant('other-0');
    await until(() => media.consumerCount === MEDIA_LIMITS.consumers - MEDIA_LIMITS.producers);
    await media.consume('receiver', recv.id, over, media.rtpCapabilities);
  });
});

describe('over signalling, a refusal reaches the client with its code and is no error of ours', () => {
  const recorded = recordingLog();
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({}, { log: recorded.log });
  });
  afterEach(() => {
    expect(recorded.errors()).toEqual([]);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('answers a produce mediasoup refuses with media-rejected', async () => {
    const call = await establishCall(app, 'refused-produce');
    const send = ok(
      await call.agent.request<{ id: string }>('media:create-transport', { direction: 'send' }),
    );
    for (const [, rtpParameters] of refusedByMediasoup) {
      expect(
        await call.agent.request('media:produce', {
          transportId: send.id,
          kind: 'video',
          rtpParameters,
          source: 'camera',
        }),
      ).toEqual({
        ok: false,
        error: { code: 'media-rejected', message: 'The media parameters were not accepted.' },
      });
    }
    call.caller.close();
    call.agent.close();
  });

  it('answers a consume the browser cannot decode with media-rejected', async () => {
    const call = await establishCall(app, 'refused-consume');
    const send = ok(
      await call.agent.request<{ id: string }>('media:create-transport', { direction: 'send' }),
    );
    const { producerId } = ok(
      await call.agent.request<{ producerId: string }>('media:produce', {
        transportId: send.id,
        kind: 'video',
        rtpParameters: vp8,
        source: 'camera',
      }),
    );
    const recv = ok(
      await call.caller.request<{ id: string }>('media:create-transport', { direction: 'recv' }),
    );
    const audioOnly = {
      codecs: (call.callerJoin.routerRtpCapabilities.codecs ?? []).filter((c) => c.kind === 'audio'),
    };
    expect(
      await call.caller.request('media:consume', {
        transportId: recv.id,
        producerId,
        rtpCapabilities: audioOnly,
      }),
    ).toMatchObject({ ok: false, error: { code: 'media-rejected' } });
    call.caller.close();
    call.agent.close();
  });
});

describe('over signalling, a second connect and the caps', () => {
  const recorded = recordingLog();
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({}, { log: recorded.log });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('answers a second connect of the same transport with invalid-state', async () => {
    const call = await establishCall(app, 'second-connect');
    const send = ok(
      await call.agent.request<{ id: string }>('media:create-transport', { direction: 'send' }),
    );
    const connect = { transportId: send.id, dtlsParameters: DTLS };
    ok(await call.agent.request('media:connect-transport', connect));
    const second = await call.agent.request('media:connect-transport', connect);
    call.caller.close();
    call.agent.close();
    expect(second).toMatchObject({ ok: false, error: { code: 'invalid-state' } });
    expect(recorded.errors()).toEqual([]);
  });

  it('answer limit-reached past a cap, and a media restart gives the allowance back', async () => {
    const call = await establishCall(app, 'capped');
    const createSend = () => call.agent.request('media:create-transport', { direction: 'send' });
    for (let restart = 0; restart < 3; restart++) {
      for (let i = 0; i < MEDIA_LIMITS.transportsPerDirection; i++) ok(await createSend());
      expect(await createSend()).toEqual({
        ok: false,
        error: {
          code: 'limit-reached',
          message: `at most ${MEDIA_LIMITS.transportsPerDirection} send transports per participant`,
        },
      });
      // What a browser does when its media fails (client/src/call/CallController.ts).
      ok(await call.agent.request('media:restart', {}));
    }
    call.caller.close();
    call.agent.close();
    expect(recorded.errors()).toEqual([]);
  });
});
