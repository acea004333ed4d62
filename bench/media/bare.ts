// Bare mediasoup: the same routing as the product (one router per call on the least-loaded worker,
// the product's codecs, one WebRtcServer per worker, transports as the product makes them,
// consumers created paused) behind the smallest socket.io signalling that can drive it. No
// lobby, no accounts, no schemas: what mediasoup itself costs, for the product to be compared with.
// Run as a child process by the bench: it sends {pid, url} on IPC once listening.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { Server, type Socket } from 'socket.io';
import { mediaCodecs } from '../../server/src/media/codecs';

interface BareWorker {
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
  routers: number;
}

interface BareCall {
  router: types.Router;
  webRtcServer: types.WebRtcServer;
  producers: Map<string, { producer: types.Producer; participantId: string }>;
  members: number;
}

const workers: BareWorker[] = [];
const calls = new Map<string, Promise<BareCall>>();

async function startWorkers(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const worker = await mediasoup.createWorker({ logLevel: 'warn', disableLiburing: true });
    const listen = { ip: '127.0.0.1', announcedAddress: '127.0.0.1' };
    const webRtcServer = await worker.createWebRtcServer({
      listenInfos: [
        { ...listen, protocol: 'udp' },
        { ...listen, protocol: 'tcp' },
      ],
    });
    workers.push({ worker, webRtcServer, routers: 0 });
  }
}

function callFor(callId: string): Promise<BareCall> {
  let call = calls.get(callId);
  if (!call) {
    const w = [...workers].sort((a, b) => a.routers - b.routers)[0]!;
    w.routers++;
    call = w.worker.createRouter({ mediaCodecs }).then((router) => {
      router.observer.once('close', () => w.routers--);
      return { router, webRtcServer: w.webRtcServer, producers: new Map(), members: 0 };
    });
    calls.set(callId, call);
  }
  return call;
}

type Handler = (payload: Record<string, unknown>) => Promise<unknown>;

function serve(socket: Socket): void {
  let call: BareCall | undefined;
  let callId = '';
  const transports = new Map<string, types.WebRtcTransport>();
  const consumers = new Map<string, types.Consumer>();
  const handlers: Record<string, Handler> = {
    'bare:join': async (p) => {
      callId = String(p['callId']);
      call = await callFor(callId);
      call.members++;
      await socket.join(callId);
      return {
        participantId: socket.id,
        routerRtpCapabilities: call.router.rtpCapabilities,
        producers: [...call.producers.values()].map(({ producer, participantId }) => ({
          producerId: producer.id,
          participantId,
          kind: producer.kind,
          source: producer.kind === 'video' ? 'camera' : 'microphone',
          paused: producer.paused,
        })),
      };
    },
    'media:create-transport': async () => {
      const t = await call!.router.createWebRtcTransport({
        webRtcServer: call!.webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: 1_000_000,
      });
      transports.set(t.id, t);
      return {
        id: t.id,
        iceParameters: t.iceParameters,
        iceCandidates: t.iceCandidates,
        dtlsParameters: t.dtlsParameters,
      };
    },
    'media:connect-transport': async (p) => {
      await transports.get(String(p['transportId']))!.connect({
        dtlsParameters: p['dtlsParameters'] as types.DtlsParameters,
      });
      return null;
    },
    'media:produce': async (p) => {
      const producer = await transports.get(String(p['transportId']))!.produce({
        kind: p['kind'] as types.MediaKind,
        rtpParameters: p['rtpParameters'] as types.RtpParameters,
      });
      call!.producers.set(producer.id, { producer, participantId: socket.id });
      producer.observer.once('close', () => call?.producers.delete(producer.id));
      socket.to(callId).emit('session:producer-added', {
        producerId: producer.id,
        participantId: socket.id,
        kind: producer.kind,
        source: p['source'],
        paused: producer.paused,
      });
      return { producerId: producer.id };
    },
    'media:consume': async (p) => {
      const c = await transports.get(String(p['transportId']))!.consume({
        producerId: String(p['producerId']),
        rtpCapabilities: p['rtpCapabilities'] as types.RtpCapabilities,
        paused: true,
      });
      consumers.set(c.id, c);
      return { id: c.id, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters };
    },
    'media:resume-consumer': async (p) => {
      await consumers.get(String(p['consumerId']))!.resume();
      return null;
    },
  };
  for (const [event, handle] of Object.entries(handlers)) {
    socket.on(event, (payload: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (a: unknown) => void) : () => undefined;
      handle((payload ?? {}) as Record<string, unknown>).then(
        (data) => reply({ ok: true, data }),
        (err: unknown) => reply({ ok: false, error: { code: 'internal', message: String(err) } }),
      );
    });
  }
  socket.on('disconnect', () => {
    for (const t of transports.values()) t.close();
    if (call && --call.members === 0) {
      call.router.close();
      calls.delete(callId);
    }
  });
}

async function main(): Promise<void> {
  await startWorkers(Number(process.env['MEDIA_WORKERS'] ?? 2));
  const httpServer = http.createServer();
  const io = new Server(httpServer, { transports: ['websocket'] });
  io.on('connection', serve);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}`, pid: process.pid });
  // The bench ends this process by closing the IPC channel.
  process.on('disconnect', () => {
    for (const w of workers) w.worker.close();
    process.exit(0);
  });
}

void main();
