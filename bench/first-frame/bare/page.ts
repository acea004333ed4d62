// The bare mediasoup-client page: a Device, the router's capabilities, a send and a receive
// transport, produce the camera and microphone, consume the other side's. Every request the
// flow cannot do without, and no other: the transports come with the capabilities in one answer,
// `connect` and `resume` are not waited on. Bundled by the bench with esbuild.
import { Device, type types } from 'mediasoup-client';
import { io } from 'socket.io-client';
import { SIGNING_VIDEO } from '../../../client/src/media/MediaClient';
import { consumerParameters, deviceCapabilities } from '../../../client/src/media/wire';
import type { BareConsumer, BareGo, BareTransport } from './protocol';

type Bench = Window & { bareReady?: boolean; acceptedAt?: number; firstFrameAt?: number; bareError?: string };
const w = window as Bench;
const params = new URLSearchParams(location.search);
const socket = io({
  transports: ['websocket'],
  query: { room: params.get('room'), peer: params.get('peer') },
});

/** The same stamps as the product's pages (client/src/timeline.ts), for the bench's timeline. */
function mark(step: string): void {
  (window.relayTimeline ??= []).push({ step, at: Date.now() });
}

function request<T>(name: string, payload: object): Promise<T> {
  mark(`${name} sent`);
  return new Promise((resolve, reject) => {
    socket.emit(name, payload, (res: { ok: true; data: T } | { ok: false; error: string }) => {
      mark(`${name} answered`);
      if (res.ok) resolve(res.data);
      else reject(new Error(res.error));
    });
  });
}

const device = new Device();
const consumers: types.Consumer[] = [];
let recv: types.Transport | undefined;
const early: string[] = [];

async function consume(producerId: string): Promise<void> {
  if (!recv) {
    early.push(producerId);
    return;
  }
  const info = await request<BareConsumer>('consume', {
    producerId,
    rtpCapabilities: device.rtpCapabilities,
  });
  const consumer = await recv.consume({ ...info, rtpParameters: consumerParameters(info.rtpParameters) });
  mark(`${consumer.kind} track`);
  consumers.push(consumer);
  socket.emit('resume', { consumerId: consumer.id });
}

async function go(answer: BareGo & { send: BareTransport; recv: BareTransport }, stream: MediaStream) {
  await device.load({ routerRtpCapabilities: deviceCapabilities(answer.routerRtpCapabilities) });
  mark('device loaded');
  recv = device.createRecvTransport(answer.recv);
  const send = device.createSendTransport(answer.send);
  for (const t of [send, recv]) {
    const direction = t === send ? 'send' : 'recv';
    t.on('connectionstatechange', (state) => {
      if (state === 'connected') mark(`${direction} transport connected`);
    });
    t.on('connect', ({ dtlsParameters }, callback) => {
      mark(`${direction} transport connecting`);
      socket.emit('connect-transport', { transportId: t.id, dtlsParameters });
      callback();
    });
  }
  send.on('produce', ({ kind, rtpParameters }, callback, errback) => {
    request<{ id: string }>('produce', { kind, rtpParameters }).then(callback, errback);
  });
  stampFirstFrame();
  await Promise.all([
    ...early.splice(0).map(consume),
    ...stream.getTracks().map((track) =>
      send.produce(
        track.kind === 'video'
          ? {
              track,
              encodings: [{ maxBitrate: 1_500_000, maxFramerate: 30 }],
              codecOptions: { videoGoogleStartBitrate: 1000 },
            }
          : { track, codecOptions: { opusDtx: true, opusFec: true } },
      ),
    ),
  ]);
}

/** Polls every 10 ms, as the product's bench stamping does, until a remote video frame is decoded. */
function stampFirstFrame(): void {
  const tick = async (): Promise<void> => {
    for (const c of consumers.filter((c) => c.kind === 'video')) {
      for (const s of (await c.getStats()).values() as IterableIterator<Record<string, unknown>>) {
        if (s['type'] === 'inbound-rtp' && Number(s['framesDecoded']) > 0) {
          w.firstFrameAt = Date.now();
          return;
        }
      }
    }
    setTimeout(() => void tick(), 10);
  };
  void tick();
}

const fail = (err: unknown) => (w.bareError = String(err));
const stream = await navigator.mediaDevices.getUserMedia({ video: SIGNING_VIDEO, audio: true });
for (const track of stream.getVideoTracks()) track.contentHint = 'motion';
socket.on('producer', ({ producerId }: { producerId: string }) => {
  mark('producer announced');
  void consume(producerId).catch(fail);
});
socket.on('go', (answer: BareGo & { send: BareTransport; recv: BareTransport }) => {
  mark('go');
  go(answer, stream).catch(fail);
});
document.querySelector('#start')!.addEventListener('click', () => {
  w.acceptedAt = Date.now();
  request<BareGo & { send: BareTransport; recv: BareTransport }>('start', {})
    .then((answer) => go(answer, stream))
    .catch(fail);
});
socket.on('connect', () => (w.bareReady = true));
if (socket.connected) w.bareReady = true;
