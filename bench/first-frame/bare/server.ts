// The bare flow's server: its own HTTP port with the bundled page and a socket.io endpoint that
// drives routers of the product's own WorkerPool (same process, same worker, same codecs, same
// WebRtcServer), so the only difference from the product's flow is the product.
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { types } from 'mediasoup';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { WorkerPool } from '../../../server/src/media/WorkerPool';
import { BareMessages, Handshake, type BareTransport, type Peer } from './protocol';

interface PeerMedia {
  socket: Socket;
  send?: types.WebRtcTransport;
  recv?: types.WebRtcTransport;
  producers: types.Producer[];
  consumers: Map<string, types.Consumer>;
}

interface Room {
  router?: types.Router;
  webRtcServer?: types.WebRtcServer;
  peers: Map<Peer, PeerMedia>;
}

export interface BareServer {
  url: string;
  close(): Promise<void>;
}

const HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare mediasoup-client</title></head>
<body><button id="start" type="button">start</button><script type="module" src="/bare.js"></script></body></html>`;

async function bundlePage(): Promise<string> {
  const out = await build({
    entryPoints: [path.join(import.meta.dirname, 'page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

export async function startBareServer(pool: WorkerPool): Promise<BareServer> {
  const script = await bundlePage();
  const server = http.createServer((req, res) => {
    const type = req.url?.startsWith('/bare.js') ? 'text/javascript' : 'text/html';
    res.writeHead(200, { 'content-type': type });
    res.end(type === 'text/html' ? HTML : script);
  });
  const io = new Server(server, { transports: ['websocket'] });
  const rooms = new Map<string, Room>();

  const transport = (room: Room): Promise<types.WebRtcTransport> =>
    room.router!.createWebRtcTransport({
      webRtcServer: room.webRtcServer!,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
    });
  const view = (t: types.WebRtcTransport): BareTransport => ({
    id: t.id,
    iceParameters: t.iceParameters,
    iceCandidates: t.iceCandidates,
    dtlsParameters: t.dtlsParameters,
  });
  /** Both transports of a peer at once, answered with the router's capabilities: one round trip. */
  const goFor = async (room: Room, peer: PeerMedia) => {
    [peer.send, peer.recv] = await Promise.all([transport(room), transport(room)]);
    return {
      routerRtpCapabilities: room.router!.rtpCapabilities,
      send: view(peer.send),
      recv: view(peer.recv),
    };
  };

  io.on('connection', (socket) => {
    const hello = Handshake.safeParse(socket.handshake.query);
    if (!hello.success) return void socket.disconnect(true);
    const { room: roomId, peer: name } = hello.data;
    const room: Room = rooms.get(roomId) ?? { peers: new Map() };
    rooms.set(roomId, room);
    const me: PeerMedia = { socket, producers: [], consumers: new Map() };
    room.peers.set(name, me);
    const others = () => [...room.peers.entries()].filter(([n]) => n !== name).map(([, p]) => p);

    /** A request with an ack; every payload parsed first. */
    function on<K extends keyof typeof BareMessages>(
      event: K,
      handle: (payload: z.infer<(typeof BareMessages)[K]>) => Promise<unknown>,
    ): void {
      socket.on(event as string, (raw: unknown, ack?: (res: unknown) => void) => {
        const parsed = BareMessages[event].safeParse(raw);
        const reply = typeof ack === 'function' ? ack : () => undefined;
        if (!parsed.success) return reply({ ok: false, error: parsed.error.message });
        handle(parsed.data as z.infer<(typeof BareMessages)[K]>).then(
          (data) => reply({ ok: true, data: data ?? null }),
          (err: unknown) => reply({ ok: false, error: String(err) }),
        );
      });
    }

    on('start', async () => {
      const placed = await pool.createRouter({ bench: 'bare' });
      room.router = placed.router;
      room.webRtcServer = placed.webRtcServer;
      const [mine] = await Promise.all([
        goFor(room, me),
        ...others().map(async (p) => p.socket.emit('go', await goFor(room, p))),
      ]);
      return mine;
    });
    on('connect-transport', async ({ transportId, dtlsParameters }) => {
      const t = [me.send, me.recv].find((x) => x?.id === transportId);
      await t?.connect({ dtlsParameters: dtlsParameters as unknown as types.DtlsParameters });
    });
    on('produce', async ({ kind, rtpParameters }) => {
      const producer = await me.send!.produce({
        kind,
        rtpParameters: rtpParameters as unknown as types.RtpParameters,
      });
      me.producers.push(producer);
      for (const p of others()) p.socket.emit('producer', { producerId: producer.id });
      return { id: producer.id };
    });
    on('consume', async ({ producerId, rtpCapabilities }) => {
      const consumer = await me.recv!.consume({
        producerId,
        rtpCapabilities: rtpCapabilities as unknown as types.RtpCapabilities,
        paused: true,
      });
      me.consumers.set(consumer.id, consumer);
      return { id: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
    });
    on('resume', async ({ consumerId }) => {
      await me.consumers.get(consumerId)?.resume();
    });
    socket.on('disconnect', () => {
      me.send?.close();
      me.recv?.close();
      room.peers.delete(name);
      if (room.peers.size === 0) {
        room.router?.close();
        rooms.delete(roomId);
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const room of rooms.values()) room.router?.close();
      await io.close();
    },
  };
}
