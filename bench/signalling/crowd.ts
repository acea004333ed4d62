// The idle callers: one socket.io connection each on /caller, from its own loopback address, queued
// in line the way the caller page does it (websocket transport, `lobby:request`, then listening to
// `lobby:position`). Each counts the position updates it receives.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { z } from 'zod';
import { loopbackAddress } from './loopback';

const ACK_TIMEOUT_MS = 60_000;
/** Handshakes in flight at once while the crowd connects (a real crowd arrives over time, too). */
const CONNECT_CONCURRENCY = 100;

const QueueView = z.object({ position: z.number().int().positive(), estimatedWaitMs: z.number().nullable() });
const QueuedAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: QueueView.extend({ resumeKey: z.string() }) }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
const NullAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.null() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

export class RequestRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'RequestRefused';
  }
}

export class Caller {
  /** The place in line this caller last heard of (from its request's answer or an update). */
  position: number | null = null;
  /** `lobby:position` events received. */
  updates = 0;
  fallbacks = 0;

  private constructor(
    readonly address: string,
    private readonly socket: Socket,
    private readonly onUpdate: () => void,
  ) {
    socket.on('lobby:position', (raw: unknown) => {
      const view = QueueView.safeParse(raw);
      if (!view.success) return;
      this.position = view.data.position;
      this.updates++;
      this.onUpdate();
    });
    socket.on('lobby:fallback', () => this.fallbacks++);
  }

  static async connect(url: string, address: string, onUpdate: () => void): Promise<Caller> {
    // engine.io-client hands `localAddress` to `ws` (and so to net.connect); its typings omit it.
    const options: Partial<ManagerOptions & SocketOptions> & { localAddress: string } = {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      localAddress: address,
      // What a browser on our page sends: the connection guard admits our own origin.
      extraHeaders: { origin: url },
    };
    const socket = io(`${url}/caller`, options);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(new Error(`caller ${address}: ${err.message}`)));
    });
    return new Caller(address, socket, onUpdate);
  }

  /** Joins the line as the caller page does (video, Korean Sign Language). */
  async request(): Promise<void> {
    const ack = QueuedAck.parse(
      await this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('lobby:request', { language: 'kvk', mode: 'video' }),
    );
    if (!ack.ok) throw new RequestRefused(ack.error.code, ack.error.message);
    this.position = ack.data.position;
  }

  async cancel(): Promise<void> {
    const ack = NullAck.parse(await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('lobby:cancel', {}));
    if (!ack.ok) throw new RequestRefused(ack.error.code, ack.error.message);
    this.position = null;
  }

  close(): void {
    this.socket.close();
  }
}

/** Runs `task` for 0..count-1 with at most `concurrency` at once; results in index order. */
export async function inBatches<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return results;
}

/** `count` callers connected from distinct loopback addresses (not yet in line). */
export async function connectCrowd(url: string, count: number, onUpdate: () => void): Promise<Caller[]> {
  const callers: Caller[] = [];
  try {
    await inBatches(count, CONNECT_CONCURRENCY, async (i) => {
      callers.push(await Caller.connect(url, loopbackAddress(i), onUpdate));
    });
  } catch (err) {
    for (const c of callers) c.close();
    throw err;
  }
  return callers;
}
