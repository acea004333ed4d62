import type { CallMode } from '../../../common/protocol';
import type { Arrival } from '../figures/calendar';
import type { LobbyEvent } from '../lobby';
import type { Logger } from '../logger';
import type { CallEvent } from '../store/callEvents';
import type { Scheduler } from '../util/scheduler';
import type { CallerPort, CallRecords } from './ports';
import type { Session } from './Session';

export interface CallEventLogDeps {
  records: Pick<CallRecords, 'event'>;
  callers: Pick<CallerPort, 'entry'>;
  /** The call of a lobby match (invitations name the match, not the record), if open. */
  sessions: { byMatch(matchId: string): Session | undefined };
  arrival: (at: number) => Arrival;
  scheduler: Scheduler;
  log: Logger;
}

type RecordRef = string | Promise<string>;

// An offer can reach the log before its caller's record exists (the lobby offers the call in the
// same step that queues it), and an invitation before its call is open (the lobby rings volunteers
// in the step that matches the call): their events wait here, a few per call at most.
const MAX_PENDING = 10_000;
const MAX_PENDING_PER_CALL = 8;

type Pending = Map<string, Array<{ event: CallEvent; at: number }>>;

function hold(pending: Pending, key: string, event: CallEvent, at: number): void {
  const waiting = pending.get(key);
  if (waiting) {
    if (waiting.length < MAX_PENDING_PER_CALL) waiting.push({ event, at });
  } else if (pending.size < MAX_PENDING) pending.set(key, [{ event, at }]);
}

/**
 * Writes each call's event log (store/callEvents.ts) through the call records' own path, so the
 * events share their journal and replay. The lobby's events come from the one driver that relays
 * them (in a cluster, the leader's: once per cluster, not once per node); the desks add what only
 * they know. Offers and invitations are remembered while open, to name the call of a decline.
 */
export class CallEventLog {
  readonly #offers = new Map<string, { callerId: string; agentId: string }>();
  readonly #invitations = new Map<string, { matchId: string; volunteerId: string }>();
  /** By caller id: events before the caller's record. */
  readonly #pending: Pending = new Map();
  /** By match id: events before the match's call is open. */
  readonly #pendingCalls: Pending = new Map();

  constructor(private readonly deps: CallEventLogDeps) {}

  /** A caller got in line: their record exists (or is being written); events waiting for it follow. */
  queued(
    callerId: string,
    recordId: Promise<string>,
    call: { language: string; mode: CallMode; joinedAt: number; estimateMs: number | null },
  ): void {
    const { shift, hour, weekday } = this.deps.arrival(call.joinedAt);
    this.write(
      recordId,
      {
        type: 'queued',
        language: call.language,
        mode: call.mode,
        shift,
        hour,
        weekday,
        estimateMs: call.estimateMs,
      },
      call.joinedAt,
    );
    for (const { event, at } of this.#pending.get(callerId) ?? []) this.write(recordId, event, at);
    this.#pending.delete(callerId);
  }

  /** A call is open (answered, or taken over): events of its match that came first follow. */
  opened(session: Session): void {
    for (const { event, at } of this.#pendingCalls.get(session.matchId) ?? [])
      this.write(session.recordId, event, at);
    this.#pendingCalls.delete(session.matchId);
  }

  /** One of the lobby's events, as its driver relays it. */
  lobbyEvent(e: LobbyEvent): void {
    switch (e.type) {
      case 'offer':
        this.#offers.set(e.offerId, { callerId: e.callerId, agentId: e.agentId });
        this.#forCaller(e.callerId, { type: 'offered', agentId: e.agentId, offerId: e.offerId });
        return;
      case 'offer-expired':
        this.#offers.delete(e.offerId);
        this.#forCaller(e.callerId, { type: 'offer-missed', agentId: e.agentId, offerId: e.offerId });
        return;
      case 'offer-withdrawn':
        this.#offers.delete(e.offerId);
        return;
      case 'matched':
        for (const [offerId, offer] of this.#offers)
          if (offer.callerId === e.callerId) this.#offers.delete(offerId);
        return;
      case 'fallback-available':
        this.#forCaller(e.callerId, { type: 'fallback-offered', options: e.options, reason: e.reason });
        return;
      case 'caller-left':
        this.#forCaller(e.callerId, { type: 'abandoned', waitedMs: e.waitedMs, reason: e.reason });
        this.#pending.delete(e.callerId);
        return;
      case 'invitation':
        this.#invitations.set(e.invitationId, { matchId: e.matchId, volunteerId: e.volunteerId });
        this.#forMatch(e.matchId, {
          type: 'interpreter-invited',
          volunteerId: e.volunteerId,
          invitationId: e.invitationId,
        });
        return;
      case 'invitation-withdrawn': {
        const invitation = this.#invitations.get(e.invitationId);
        this.#invitations.delete(e.invitationId);
        if (invitation && e.reason === 'expired')
          this.#forMatch(invitation.matchId, {
            type: 'invitation-expired',
            volunteerId: e.volunteerId,
            invitationId: e.invitationId,
          });
        return;
      }
      case 'interpreter-joined':
        for (const [id, invitation] of this.#invitations)
          if (invitation.matchId === e.matchId && invitation.volunteerId === e.volunteerId)
            this.#invitations.delete(id);
        return;
      default:
        // Positions, presence: not events of a call.
        return;
    }
  }

  /** The agent turned an offer down (the lobby tells no event for it). */
  offerDeclined(agentId: string, offerId: string): void {
    const offer = this.#offers.get(offerId);
    this.#offers.delete(offerId);
    if (offer) this.#forCaller(offer.callerId, { type: 'offer-declined', agentId, offerId });
    else this.#unknown('offer', offerId);
  }

  /** The volunteer turned an invitation down. */
  invitationDeclined(volunteerId: string, invitationId: string): void {
    const invitation = this.#invitations.get(invitationId);
    this.#invitations.delete(invitationId);
    if (invitation)
      this.#forMatch(invitation.matchId, { type: 'invitation-declined', volunteerId, invitationId });
    else this.#unknown('invitation', invitationId);
  }

  /** An event of a call whose record the desk knows. Never throws: a lost event is logged. */
  write(recordId: RecordRef, event: CallEvent, at = this.deps.scheduler.now()): void {
    void Promise.resolve(recordId)
      .then((id) => this.deps.records.event(id, event, at))
      .catch((err: unknown) => this.deps.log.error({ err, event: event.type }, 'could not log a call event'));
  }

  #forCaller(callerId: string, event: CallEvent): void {
    const at = this.deps.scheduler.now();
    const entry = this.deps.callers.entry(callerId);
    if (entry) {
      this.write(entry.recordId, event, at);
      return;
    }
    hold(this.#pending, callerId, event, at);
  }

  #forMatch(matchId: string, event: CallEvent): void {
    const at = this.deps.scheduler.now();
    const session = this.deps.sessions.byMatch(matchId);
    if (session) this.write(session.recordId, event, at);
    else hold(this.#pendingCalls, matchId, event, at);
  }

  /** Known only to the leader that saw it made (e.g. before a change of leader): not logged. */
  #unknown(what: string, id: string): void {
    this.deps.log.debug({ what, id }, 'call event for an offer or invitation made before this leader');
  }

  /** This node no longer leads. */
  clear(): void {
    this.#offers.clear();
    this.#invitations.clear();
    this.#pending.clear();
    this.#pendingCalls.clear();
  }
}
