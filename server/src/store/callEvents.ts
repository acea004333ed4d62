/**
 * What happened during one call, as a log of small events: the figures of docs/metrics.md are
 * computed from them and the call records. Metadata only: who, when, which choice, never anything
 * said, signed or typed in the call.
 */
import { z } from 'zod';
import { CallMode } from '../../../common/protocol';
import { Id } from './validation';

const Ms = z.int().min(0);
/** A staff account id (agent or volunteer). */
const Staff = Id;
const Shift = z.string().max(32).nullable();

export const CALL_EVENT_TYPES = [
  'queued',
  'offered',
  'offer-missed',
  'offer-declined',
  'answered',
  'interpreter-invited',
  'interpreter-joined',
  'interpreter-left',
  'invitation-declined',
  'invitation-expired',
  'fallback-offered',
  'fallback-chosen',
  'abandoned',
  'ended',
  'wrapped-up',
  'rated',
] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

/** Who ended a call: a participant who hung up, or the service (a lost connection, a crash, a drain). */
export const ENDED_BY = ['caller', 'agent', 'system'] as const;
export type EndedBy = (typeof ENDED_BY)[number];

export const CallEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('queued'),
    language: z.string().min(1).max(35),
    mode: CallMode,
    /** Shift, local hour and weekday (0 = Sunday) of arrival in the centre's zone, frozen at arrival. */
    shift: Shift,
    hour: z.int().min(0).max(23),
    weekday: z.int().min(0).max(6),
    /** The first wait estimate the caller was shown; null when none could be given. */
    estimateMs: Ms.nullable(),
  }),
  z.object({ type: z.literal('offered'), agentId: Staff, offerId: Id }),
  z.object({ type: z.literal('offer-missed'), agentId: Staff, offerId: Id }),
  z.object({ type: z.literal('offer-declined'), agentId: Staff, offerId: Id }),
  z.object({ type: z.literal('answered'), agentId: Staff, waitedMs: Ms }),
  z.object({ type: z.literal('interpreter-invited'), volunteerId: Staff, invitationId: Id }),
  z.object({ type: z.literal('interpreter-joined'), volunteerId: Staff }),
  z.object({
    type: z.literal('interpreter-left'),
    volunteerId: Staff,
    reason: z.enum(['hangup', 'removed', 'participant-lost', 'call-ended']),
  }),
  z.object({ type: z.literal('invitation-declined'), volunteerId: Staff, invitationId: Id }),
  z.object({ type: z.literal('invitation-expired'), volunteerId: Staff, invitationId: Id }),
  z.object({
    type: z.literal('fallback-offered'),
    options: z.array(z.enum(['wait', 'text', 'callback'])).max(3),
    reason: z.enum(['long-wait', 'no-capacity']),
  }),
  /** `callback` is "keep my place and let me step away"; `wait` is "keep waiting". */
  z.object({ type: z.literal('fallback-chosen'), choice: z.enum(['wait', 'text', 'callback']) }),
  z.object({ type: z.literal('abandoned'), waitedMs: Ms, reason: z.enum(['cancelled', 'abandoned']) }),
  z.object({ type: z.literal('ended'), by: z.enum(ENDED_BY), reason: z.string().min(1).max(32) }),
  z.object({
    type: z.literal('wrapped-up'),
    resolved: z.boolean(),
    category: z.string().max(64).nullable(),
  }),
  z.object({ type: z.literal('rated'), rating: z.int().min(1).max(5) }),
]);
export type CallEvent = z.output<typeof CallEvent>;

/** One stored event of one call. */
export type StoredCallEvent = CallEvent & { callId: string; at: number };

/** Fields of the event kept as columns (for queries per account); the rest is the JSON `data`. */
export function accountOf(event: CallEvent): string | null {
  if ('agentId' in event) return event.agentId;
  if ('volunteerId' in event) return event.volunteerId;
  return null;
}
