import type { MediaClient } from '../media/MediaClient';

export interface InboundStat {
  consumerId: string;
  participantId: string;
  role: string | null;
  kind: 'audio' | 'video';
  packetsReceived: number;
  framesDecoded: number;
  framesPerSecond: number | null;
  frameWidth: number | null;
  frameHeight: number | null;
  /** Video stalls the browser counted (a frame late by 3× the mean or 150 ms), and their total seconds. */
  freezeCount: number | null;
  totalFreezesDuration: number | null;
}

export interface OutboundVideoStat {
  framesPerSecond: number | null;
  frameWidth: number | null;
  frameHeight: number | null;
}

type Stat = Record<string, unknown>;
const num = (s: Stat, k: string): number | null => (typeof s[k] === 'number' ? s[k] : null);

/** What this page receives, from getStats: used by the quality indicator and by the e2e tests. */
export function inboundStats(media: MediaClient): Promise<InboundStat[]> {
  return consumerStats(media.consumers);
}

async function consumerStats(consumers: MediaClient['consumers']): Promise<InboundStat[]> {
  const out: InboundStat[] = [];
  for (const consumer of consumers) {
    const report = await consumer.getStats();
    for (const s of report.values() as IterableIterator<Stat>) {
      if (s['type'] !== 'inbound-rtp') continue;
      out.push({
        consumerId: consumer.id,
        participantId: String(consumer.appData['participantId']),
        role: (consumer.appData['role'] as string | null | undefined) ?? null,
        kind: consumer.kind,
        packetsReceived: num(s, 'packetsReceived') ?? 0,
        framesDecoded: num(s, 'framesDecoded') ?? 0,
        framesPerSecond: num(s, 'framesPerSecond'),
        frameWidth: num(s, 'frameWidth'),
        frameHeight: num(s, 'frameHeight'),
        freezeCount: num(s, 'freezeCount'),
        totalFreezesDuration: num(s, 'totalFreezesDuration'),
      });
    }
  }
  return out;
}

/** What this page actually sends on its camera: the signer's own quality indicator reads it. */
export async function outboundVideoStats(media: MediaClient): Promise<OutboundVideoStat | null> {
  const producer = media.videoProducer;
  if (!producer) return null;
  for (const s of (await producer.getStats()).values() as IterableIterator<Stat>) {
    if (s['type'] !== 'outbound-rtp') continue;
    return {
      framesPerSecond: num(s, 'framesPerSecond'),
      frameWidth: num(s, 'frameWidth'),
      frameHeight: num(s, 'frameHeight'),
    };
  }
  return null;
}

/** The path media takes on one transport: the local end of the ICE pair in use. */
export interface MediaPathStat {
  direction: 'send' | 'recv';
  /** `host`, `srflx`, `prflx` or `relay` (through TURN). */
  candidateType: string | null;
  /** How the browser reaches its TURN server on a relay candidate: `udp`, `tcp` or `tls`. */
  relayProtocol: string | null;
}

/** The selected candidate pair's local candidate, read from one sender's or receiver's report. */
function selectedPath(report: RTCStatsReport, direction: 'send' | 'recv'): MediaPathStat | null {
  const stats = [...(report.values() as IterableIterator<Stat>)];
  const byId = new Map(stats.map((s) => [String(s['id']), s]));
  const transport = stats.find((s) => s['type'] === 'transport');
  const pair = byId.get(String(transport?.['selectedCandidatePairId']));
  const local = pair && byId.get(String(pair['localCandidateId']));
  if (!local) return null;
  const text = (k: string) => (typeof local[k] === 'string' ? local[k] : null);
  return { direction, candidateType: text('candidateType'), relayProtocol: text('relayProtocol') };
}

/** Which way this page's media goes (direct or through TURN, and how): for the e2e tests. */
export async function mediaPaths(media: MediaClient): Promise<MediaPathStat[]> {
  const out: MediaPathStat[] = [];
  const producer = media.videoProducer;
  const sent = producer && selectedPath(await producer.getStats(), 'send');
  if (sent) out.push(sent);
  const consumer = media.consumers[0];
  const received = consumer && selectedPath(await consumer.getStats(), 'recv');
  if (received) out.push(received);
  return out;
}

declare global {
  interface Window {
    relayStats?: {
      inbound(): Promise<InboundStat[]>;
      outboundVideo(): Promise<OutboundVideoStat | null>;
      paths(): Promise<MediaPathStat[]>;
    };
  }
}

/**
 * `stillShown`: consumers of a connection being replaced whose tracks the tiles still show (a call
 * moving hosts), so what the page receives is what is on screen.
 */
export function exposeStats(media: MediaClient, stillShown: () => MediaClient['consumers'] = () => []): void {
  window.relayStats = {
    inbound: async () => [...(await inboundStats(media)), ...(await consumerStats(stillShown()))],
    outboundVideo: () => outboundVideoStats(media),
    paths: () => mediaPaths(media),
  };
}
