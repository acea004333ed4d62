// One misbehaving client beside the measured calls, in one of three ways.
import type { Socket } from 'socket.io-client';
import { endCall, productCall, type LoadCall, type StaffCookies } from '../load/calls';
import type { Clip } from '../load/clip';
import type { Ticker } from '../load/RtpPlayer';
import { connectSocket, type LoadSocket } from '../load/socket';

export const BAD_MODES = ['stop-reading', 'flood-signalling', 'flood-rtp'] as const;
export type BadMode = (typeof BAD_MODES)[number];

export const BAD_MODE_MEANING: Record<BadMode, string> = {
  'stop-reading':
    'a caller in a call of its own stops reading its socket and keeps sending chat (acks pile up)',
  'flood-signalling': 'a caller socket sends ~5,000 messages/s, valid and malformed, without pause',
  'flood-rtp': 'a caller in a call of its own sends its video at 10× the clip rate (~15 Mbit/s)',
};

export interface Misbehaving {
  /** Messages or packets it sent, for the report. */
  sent(): number;
  /** From its start to the server cutting it off (the others told its video is gone), ms; null if never. */
  cutOffMs(): number | null;
  stop(): Promise<void>;
}

/** engine.io's websocket in Node sits on a net.Socket: pausing it stops reading, as a stuck tab would. */
function stopReading(socket: Socket): void {
  const transport = socket.io.engine.transport as unknown as { ws?: { _socket?: { pause(): void } } };
  const raw = transport.ws?._socket;
  if (!raw) throw new Error('no raw socket under the websocket transport');
  raw.pause();
}

function flood(s: LoadSocket, perTick: number, message: (i: number) => [string, unknown]): () => number {
  let sent = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) {
      const [event, payload] = message(sent++);
      s.socket.emit(event, payload, () => undefined);
    }
  }, 10);
  return () => {
    clearInterval(timer);
    return sent;
  };
}

export async function startMisbehaving(
  mode: BadMode,
  url: string,
  staff: StaffCookies,
  media: { clip: Clip; ticker: Ticker },
): Promise<Misbehaving> {
  if (mode === 'flood-signalling') {
    const s = await connectSocket(`${url}/caller`);
    const messages: [string, unknown][] = [
      ['lobby:request', { language: 'vi', mode: 'video' }],
      ['lobby:cancel', {}],
      ['media:consume', { transportId: 'x', producerId: 'y', rtpCapabilities: { codecs: 'nope' } }],
      ['session:join', { token: 'a'.repeat(40) }],
      ['chat:send', { text: 'x'.repeat(3000) }],
    ];
    const stopFlood = flood(s, 50, (i) => messages[i % messages.length]!);
    let sent = 0;
    return {
      sent: () => sent,
      cutOffMs: () => null,
      stop: async () => {
        sent = stopFlood();
        s.close();
      },
    };
  }
  const call: LoadCall = await productCall(url, staff, {
    ...media,
    ...(mode === 'flood-rtp' && { caller: { videoRate: 10 } }),
  });
  if (mode === 'flood-rtp') {
    // The agent's socket hears when the server closes the flooding caller's video (IngressPolicer).
    const started = performance.now();
    let cutOff: number | null = null;
    let stopping = false;
    call.sockets[1]!.socket.once('session:producer-closed', () => {
      if (!stopping) cutOff = performance.now() - started;
    });
    const stop = () => {
      stopping = true;
      return endCall(call);
    };
    return { sent: () => 0, cutOffMs: () => cutOff, stop };
  }
  const caller = call.sockets[2]!;
  stopReading(caller.socket);
  const stopFlood = flood(caller, 20, (i) => ['chat:send', { text: `message ${i}` }]);
  let sent = 0;
  return {
    sent: () => sent,
    cutOffMs: () => null,
    stop: async () => {
      sent = stopFlood();
      await endCall(call);
    },
  };
}
