import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ErrorCode, RelayError } from '../../../common/errors';
import { type ClientPayload, ClientMessages } from '../../../common/protocol';
import { CallMedia, WorkerPool } from '../../../server/src/media';
import { establishCall } from '../../helpers/calls';
import { fakeRtpParameters, ok, startTestApp, type TestApp } from '../../helpers/testApp';
import { recordingLog } from './recordingLog';

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
      codecs: [
        vp8.codecs[0]!,
        { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 100 } },
      ],
    },
    'TypeError',
  ],
];

/** The payload as the server has it after parsing: proof that the schema let it through. */
const parsedVideo = (rtpParameters: RtpParametersIn) =>
  ClientMessages['media:produce'].parse({ transportId: 't', kind: 'video', rtpParameters, source: 'camera' })
    .rtpParameters;

async function expectRefusal(attempt: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(attempt).rejects.toBeInstanceOf(RelayError);
  await expect(attempt).rejects.toMatchObject({ code });
}

describe('CallMedia turns what a client got wrong into RelayErrors, against the real worker', () => {
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

describe('over signalling, a second connect', () => {
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
});
