/**
 * One call, as the figures see it: its record and its event log folded into the facts every figure
 * is computed from (docs/metrics.md). Pure.
 */
import type { CallRecord } from '../store/calls';
import type { StoredCallEvent } from '../store/callEvents';
import type { Arrival } from './calendar';

/** A caller who hangs up within this long was most likely not waiting for an agent at all. */
export const SHORT_ABANDON_MS = 5000;

export interface CallSummary {
  id: string;
  arrivedAt: number;
  language: string;
  /** The mode the caller asked for on arrival (a later switch to text is a fallback). */
  mode: string;
  arrival: Arrival;
  /** The answering agent, if any. */
  agentId: string | null;
  /** Time in line until an agent answered; null when not answered. */
  answerWaitMs: number | null;
  /** Time in line until the caller hung up; null unless they left the line unanswered. */
  abandonWaitMs: number | null;
  /** The first estimate the caller was shown; null when none was (or it was not logged). */
  shownEstimateMs: number | null;
  fallbackOffered: boolean;
  fallbackChoices: ReadonlySet<string>;
  offers: number;
  /** Offers that ran out (missed) or that the agent declined. */
  offersUnanswered: number;
  /** First invitation to a volunteer, and the first interpreter joining (ms since epoch). */
  firstInvitedAt: number | null;
  firstJoinedAt: number | null;
  /** Answered → ended, for a call that took place and is over; null otherwise. */
  talkMs: number | null;
  /** Ended → wrapped up, when both are known. */
  wrapUpMs: number | null;
  resolved: boolean | null;
  rating: number | null;
}

/** Folds one call's record and events (any order) into its summary. */
export function summarize(
  record: CallRecord,
  events: readonly StoredCallEvent[],
  arrivalOf: (at: number) => Arrival,
): CallSummary {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const first = <T extends StoredCallEvent['type']>(type: T) =>
    sorted.find((e): e is Extract<StoredCallEvent, { type: T }> => e.type === type);
  const queued = first('queued');
  const answered = first('answered');
  const abandoned = first('abandoned');
  const wrapped = first('wrapped-up');
  const count = (...types: StoredCallEvent['type'][]) => sorted.filter((e) => types.includes(e.type)).length;

  const answeredAt = record.answeredAt ?? answered?.at ?? null;
  const answerWaitMs =
    answeredAt === null ? null : (answered?.waitedMs ?? Math.max(0, answeredAt - record.startedAt));
  // A caller answered and then not coming to the call is an answered call (a no-show), not an abandon.
  const leftLine = answeredAt === null && (abandoned !== undefined || record.outcome === 'abandoned');
  const abandonWaitMs = leftLine ? (abandoned?.waitedMs ?? record.waitedMs ?? 0) : null;
  const took = answeredAt !== null && record.outcome === 'completed' && record.endedAt !== null;
  const talkMs = took ? Math.max(0, record.endedAt! - answeredAt) : null;

  return {
    id: record.id,
    arrivedAt: record.startedAt,
    language: queued?.language ?? record.callerLanguage,
    mode: queued?.mode ?? record.mode,
    arrival: queued
      ? { shift: queued.shift, hour: queued.hour, weekday: queued.weekday }
      : arrivalOf(record.startedAt),
    agentId: answeredAt === null ? null : (record.agentId ?? answered?.agentId ?? null),
    answerWaitMs,
    abandonWaitMs,
    shownEstimateMs: queued?.estimateMs ?? null,
    fallbackOffered: first('fallback-offered') !== undefined,
    fallbackChoices: new Set(sorted.flatMap((e) => (e.type === 'fallback-chosen' ? [e.choice] : []))),
    offers: count('offered'),
    offersUnanswered: count('offer-missed', 'offer-declined'),
    firstInvitedAt: first('interpreter-invited')?.at ?? null,
    firstJoinedAt: first('interpreter-joined')?.at ?? null,
    talkMs,
    wrapUpMs: talkMs !== null && wrapped ? Math.max(0, wrapped.at - record.endedAt!) : null,
    resolved: record.resolved ?? wrapped?.resolved ?? null,
    rating: record.rating ?? first('rated')?.rating ?? null,
  };
}

/** Every call of a history, with its own events. */
export function summarizeAll(
  history: { records: readonly CallRecord[]; events: readonly StoredCallEvent[] },
  arrivalOf: (at: number) => Arrival,
): CallSummary[] {
  const byCall = new Map<string, StoredCallEvent[]>();
  for (const e of history.events) {
    const list = byCall.get(e.callId);
    if (list) list.push(e);
    else byCall.set(e.callId, [e]);
  }
  return history.records.map((r) => summarize(r, byCall.get(r.id) ?? [], arrivalOf));
}
