// A socket.io client as the product's pages use it (websocket only), with acks as promises.
import { io, type Socket } from 'socket.io-client';
import type { Ack, ProducerView } from '../../common/protocol';
import type { MediaSignaling } from './LoadParticipant';

export interface LoadSocket {
  socket: Socket;
  /** The ack's data, or a thrown error naming its code. */
  request<T>(event: string, payload?: unknown, timeoutMs?: number): Promise<T>;
  next<T>(event: string, timeoutMs?: number): Promise<T>;
  close(): void;
}

export async function connectSocket(url: string, cookie?: string): Promise<LoadSocket> {
  const socket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(cookie && { extraHeaders: { cookie } }),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return {
    socket,
    request: async <T>(event: string, payload?: unknown, timeoutMs = 15_000) => {
      const timed = socket.timeout(timeoutMs);
      const ack = (await (payload === undefined
        ? timed.emitWithAck(event)
        : timed.emitWithAck(event, payload))) as Ack<T>;
      if (!ack.ok) throw new Error(`${event}: ${ack.error.code}: ${ack.error.message}`);
      return ack.data;
    },
    next: <T>(event: string, timeoutMs = 15_000) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
        socket.once(event, (data: T) => {
          clearTimeout(timer);
          resolve(data);
        });
      }),
    close: () => socket.disconnect(),
  };
}

export function mediaSignaling(s: LoadSocket): MediaSignaling {
  return {
    request: (event, payload) => s.request(event, payload),
    onProducerAdded: (listener) => s.socket.on('session:producer-added', (p: ProducerView) => listener(p)),
  };
}
