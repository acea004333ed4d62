// What travels between a call's controlling node and the node hosting its media.
import { z } from 'zod';
import type { CallMediaEvents } from '../../media/CallMedia';

/** Requests to a host node: the call it names, the operation, and its arguments in order. */
export const MEDIA_CHANNEL = 'media';

/** Where a host node tells what happened in one call's media (every node may listen). */
export const mediaEventsChannel = (callId: string): string => `media-events:${callId}`;

export const MEDIA_OPS = [
  'open',
  'attach',
  'addParticipant',
  'removeParticipant',
  'resetParticipant',
  'close',
  'createTransport',
  'connectTransport',
  'produce',
  'producersFor',
  'consume',
  'resumeConsumer',
  'setProducerPaused',
] as const;
export type MediaOp = (typeof MEDIA_OPS)[number];

export const MediaRequest = z.strictObject({
  callId: z.string().min(1).max(128),
  op: z.enum(MEDIA_OPS),
  args: z.array(z.unknown()).max(8),
});
export type MediaRequest = z.infer<typeof MediaRequest>;

const EVENT_NAMES = [
  'producer-added',
  'producer-closed',
  'producer-paused',
  'consumer-closed',
  'moved',
  'closed',
] as const satisfies ReadonlyArray<keyof CallMediaEvents>;

export const MediaEventMessage = z.strictObject({
  event: z.enum(EVENT_NAMES),
  args: z.array(z.unknown()).max(4),
});
export type MediaEventMessage = z.infer<typeof MediaEventMessage>;
export const MEDIA_EVENTS = EVENT_NAMES;
