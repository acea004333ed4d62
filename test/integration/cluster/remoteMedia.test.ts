// A call's media on another node, driven over the bus against a real mediasoup worker: orders keep
// their order, refusals keep their codes, events cross, and a host that is gone answers `timeout`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayError } from '../../../common/errors';
import { ClientMessages, type ClientPayload } from '../../../common/protocol';
import { InProcessBusNetwork } from '../../../server/src/cluster/InProcessBus';
import { MediaHost } from '../../../server/src/cluster/media/MediaHost';
import { RemoteCallMedia } from '../../../server/src/cluster/media/RemoteCallMedia';
import type { MessageBus } from '../../../server/src/cluster/MessageBus';
import { createLogger } from '../../../server/src/logger';
import type { ProducerInfo } from '../../../server/src/media';
import { MEDIA_LIMITS, WorkerPool } from '../../../server/src/media';
import { realScheduler } from '../../../server/src/util/scheduler';
import { fakeRtpParameters } from '../../helpers/testApp';
import { until } from '../../helpers/waiting';

const log = createLogger('silent');
const scheduler = realScheduler();
const vp8 = (ssrc: number) =>
  ClientMessages['media:produce'].parse({
    transportId: 't',
    kind: 'video',
    rtpParameters: fakeRtpParameters('video', ssrc) as ClientPayload<'media:produce'>['rtpParameters'],
    source: 'camera',
  }).rtpParameters;

let pool: WorkerPool;
let host: MediaHost;
let hostBus: MessageBus;
let controllerBus: MessageBus;

beforeAll(async () => {
  pool = await WorkerPool.create(
    { workers: 1, listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', port: 0 },
    log,
  );
  const network = new InProcessBusNetwork();
  hostBus = await network.connect('host', scheduler);
  controllerBus = await network.connect('controller', scheduler);
  host = new MediaHost({ bus: hostBus, pool, log });
  await host.serve();
});

afterAll(async () => {
  await host?.close();
  await hostBus?.close();
  await controllerBus?.close();
  pool?.close();
});

const open = (callId: string) =>
  RemoteCallMedia.open(controllerBus, 'host', callId, { timeoutMs: 2000, log });

describe('media hosted on another node', () => {
  it('opens a router on the host and runs each participant’s requests there', async () => {
    const media = await open('call-1');
    expect(media.hostNodeId).toBe('host');
    expect(pool.routerCount).toBe(1);
    expect(media.rtpCapabilities.codecs?.map((c) => c.mimeType)).toContain('video/VP8');
    // Orders are not awaited, yet the next request finds them done.
    media.addParticipant('sender');
    media.addParticipant('receiver');
    const send = await media.createTransport('sender', 'send');
    expect(send.iceCandidates[0]?.ip).toBe('127.0.0.1');

    const added = new Promise<ProducerInfo>((resolve) => media.once('producer-added', resolve));
    const producerId = await media.produce('sender', send.id, 'video', vp8(4242), 'camera');
    expect(await added).toMatchObject({
      producerId,
      participantId: 'sender',
      kind: 'video',
      source: 'camera',
    });
    expect(await media.producersFor('receiver')).toEqual([expect.objectContaining({ producerId })]);

    const recv = await media.createTransport('receiver', 'recv');
    const consumer = await media.consume('receiver', recv.id, producerId, media.rtpCapabilities);
    expect(consumer.producerId).toBe(producerId);
    expect(host.load()).toEqual({ routers: 1, consumers: 1 });

    // The sender's media is reset on the host: the receiver's side hears its producer close.
    const closedProducer = new Promise((resolve) => media.once('producer-closed', resolve));
    media.resetParticipant('sender');
    expect(await closedProducer).toEqual({ producerId, participantId: 'sender' });

    const closed = new Promise((resolve) => media.once('closed', resolve));
    media.close();
    expect(await closed).toBe('ended');
    expect(media.closed).toBe(true);
    await until(() => pool.routerCount === 0);
  });

  it('keeps the host’s refusals and their codes', async () => {
    const media = await open('call-2');
    media.addParticipant('p');
    await expect(media.createTransport('stranger', 'send')).rejects.toMatchObject({ code: 'not-found' });
    const send = await media.createTransport('p', 'send');
    await expect(
      media.consume('p', send.id, 'no-such-producer', media.rtpCapabilities),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
    media.close();
    await until(() => pool.routerCount === 0);
    // After the call has ended there, a request is told so, and an order changes nothing.
    await expect(media.createTransport('p', 'recv')).rejects.toMatchObject({ code: 'invalid-state' });
  });

  it('holds the caps on the host, for requests sent all at once, until a reset frees them', async () => {
    const media = await open('call-capped');
    media.addParticipant('p');
    const asked = MEDIA_LIMITS.transportsPerDirection + 3;
    const answers = await Promise.allSettled(
      Array.from({ length: asked }, () => media.createTransport('p', 'recv')),
    );
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(MEDIA_LIMITS.transportsPerDirection);
    expect(answers.filter((a) => a.status === 'rejected').map((a) => (a.reason as RelayError).code)).toEqual(
      Array(3).fill('limit-reached'),
    );
    media.resetParticipant('p');
    await media.createTransport('p', 'recv');
    media.close();
    await until(() => pool.routerCount === 0);
  });

  it('gives one router to a call opened twice at once (a retry after a slow answer)', async () => {
    const [first, again] = await Promise.all([open('call-twice'), open('call-twice')]);
    expect(pool.routerCount).toBe(1);
    first.close();
    await until(() => pool.routerCount === 0);
    expect(again.closed).toBe(true);
  });

  it('tells the call’s controller when its host stops with the call still going', async () => {
    const network = new InProcessBusNetwork();
    const stoppingBus = await network.connect('stopping-host', scheduler);
    const controller = await network.connect('controller', scheduler);
    const stopping = new MediaHost({ bus: stoppingBus, pool, log });
    await stopping.serve();
    const media = await RemoteCallMedia.open(controller, 'stopping-host', 'call-4', { timeoutMs: 2000, log });
    const closed = new Promise((resolve) => media.once('closed', resolve));
    await stopping.close();
    expect(await closed).toBe('host-stopped');
    expect(media.closed).toBe(true);
    await until(() => pool.routerCount === 0);
    await stoppingBus.close();
    await controller.close();
  });

  it('answers timeout, at once, when the host node is not there', async () => {
    const started = Date.now();
    await expect(
      RemoteCallMedia.open(controllerBus, 'gone-node', 'call-3', { timeoutMs: 2000, log }),
    ).rejects.toMatchObject({ code: 'timeout', message: expect.stringContaining('gone-node') });
    // Nobody listens on that node's topic: no need to wait the whole timeout.
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
