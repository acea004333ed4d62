import { Counter, type Registry } from 'prom-client';
import type { LobbyCommand, LobbyResult } from '../lobby';
import type { CallCenter } from '../sessions/CallCenter';

const MODES = ['video', 'text'] as const;
const END_REASONS = ['hangup', 'participant-lost', 'media-failed', 'removed', 'shutdown'] as const;

/**
 * Counters of what happened in the call centre, from what it already tells: the lobby's results
 * (through `ObservedLobbyEngine`) and the call centre's own events. Labels are closed sets (modes,
 * reasons, outcomes): never ids.
 */
export class CallCounters {
  readonly #offers: Counter;
  readonly #offerOutcomes: Counter<'outcome'>;
  readonly #callersLeft: Counter<'reason'>;
  readonly #callsStarted: Counter<'mode'>;
  readonly #callsEnded: Counter<'mode' | 'reason'>;
  readonly #invitations: Counter;
  readonly #invitationOutcomes: Counter<'outcome'>;
  readonly #interpreterRequests: Counter<'result'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.#offers = new Counter({
      name: 'relay_offers_total',
      help: 'Calls offered to an agent (each offer once, whoever it goes to).',
      registers,
    });
    this.#offerOutcomes = new Counter({
      name: 'relay_offer_outcomes_total',
      help: 'How offers ended: accepted, declined, expired (not answered in time) or withdrawn (caller or agent left).',
      labelNames: ['outcome'],
      registers,
    });
    this.#callersLeft = new Counter({
      name: 'relay_callers_left_total',
      help: 'Callers who left the line unanswered: cancelled (they hung up) or abandoned (their connection did not come back).',
      labelNames: ['reason'],
      registers,
    });
    this.#callsStarted = new Counter({
      name: 'relay_calls_started_total',
      help: 'Calls started (an agent accepted), by mode.',
      labelNames: ['mode'],
      registers,
    });
    this.#callsEnded = new Counter({
      name: 'relay_calls_ended_total',
      help: 'Calls ended, by mode and reason (hangup, participant-lost, media-failed, removed, shutdown).',
      labelNames: ['mode', 'reason'],
      registers,
    });
    this.#invitations = new Counter({
      name: 'relay_interpreter_invitations_total',
      help: 'Invitations sent to volunteers to interpret (several are rung at once for one call).',
      registers,
    });
    this.#invitationOutcomes = new Counter({
      name: 'relay_interpreter_invitation_outcomes_total',
      help: 'How invitations ended: accepted, declined, expired, taken (another volunteer accepted first) or cancelled.',
      labelNames: ['outcome'],
      registers,
    });
    this.#interpreterRequests = new Counter({
      name: 'relay_interpreter_requests_total',
      help: 'Calls needing an interpreter, by result: filled (one joined) or unfilled (the call ended while still looking).',
      labelNames: ['result'],
      registers,
    });
    // Every known series from 0, so that rate() sees the first event rather than a new series.
    for (const outcome of ['accepted', 'declined', 'expired', 'withdrawn'])
      this.#offerOutcomes.inc({ outcome }, 0);
    for (const reason of ['cancelled', 'abandoned']) this.#callersLeft.inc({ reason }, 0);
    for (const mode of MODES) {
      this.#callsStarted.inc({ mode }, 0);
      for (const reason of END_REASONS) this.#callsEnded.inc({ mode, reason }, 0);
    }
    for (const outcome of ['accepted', 'declined', 'expired', 'taken', 'cancelled'])
      this.#invitationOutcomes.inc({ outcome }, 0);
    for (const result of ['filled', 'unfilled']) this.#interpreterRequests.inc({ result }, 0);
  }

  /** Feeds `ObservedLobbyEngine`: accepts and declines are results, the rest are the lobby's events. */
  readonly lobbyResult = (command: LobbyCommand | null, result: LobbyResult<unknown>): void => {
    if (!result.ok) return;
    if (command?.op === 'acceptOffer') this.#offerOutcomes.inc({ outcome: 'accepted' });
    if (command?.op === 'declineOffer') this.#offerOutcomes.inc({ outcome: 'declined' });
    if (command?.op === 'acceptInvitation') this.#invitationOutcomes.inc({ outcome: 'accepted' });
    if (command?.op === 'declineInvitation') this.#invitationOutcomes.inc({ outcome: 'declined' });
    for (const e of result.events) {
      switch (e.type) {
        case 'offer':
          this.#offers.inc();
          break;
        case 'offer-expired':
          this.#offerOutcomes.inc({ outcome: 'expired' });
          break;
        case 'offer-withdrawn':
          this.#offerOutcomes.inc({ outcome: 'withdrawn' });
          break;
        case 'caller-left':
          this.#callersLeft.inc({ reason: e.reason });
          break;
        case 'invitation':
          this.#invitations.inc();
          break;
        case 'invitation-withdrawn':
          this.#invitationOutcomes.inc({ outcome: e.reason });
          break;
        case 'interpreter-joined':
          this.#interpreterRequests.inc({ result: 'filled' });
          break;
        default:
          break;
      }
    }
  };

  /** Calls as they start and end, on the node that controls them. */
  watch(calls: Pick<CallCenter, 'on'>): void {
    calls.on('session-started', (session) => this.#callsStarted.inc({ mode: session.mode }));
    calls.on('session-ended', (session, reason) => {
      this.#callsEnded.inc({ mode: session.mode, reason });
      if (session.interpreter.status === 'searching') this.#interpreterRequests.inc({ result: 'unfilled' });
    });
  }
}
