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
}

export interface OutboundVideoStat {
  framesPerSecond: number | null;
  frameWidth: number | null;
  frameHeight: number | null;
}

type Stat = Record<string, unknown>;
const num = (s: Stat, k: string): number | null => (typeof s[k] === 'number' ? s[k] : null);

/** What this page receives, from getStats: used by the quality indicator and by the e2e tests. */
export async function inboundStats(media: MediaClient): Promise<InboundStat[]> {
  const out: InboundStat[] = [];
  for (const consumer of media.consumers) {
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

declare global {
  interface Window {
    relayStats?: { inbound(): Promise<InboundStat[]>; outboundVideo(): Promise<OutboundVideoStat | null> };
  }
}

export function exposeStats(media: MediaClient): void {
  window.relayStats = { inbound: () => inboundStats(media), outboundVideo: () => outboundVideoStats(media) };
}
