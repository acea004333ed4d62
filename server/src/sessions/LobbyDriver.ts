import { RelayError, type ErrorCode } from '../../../common/errors';
import {
  applyCommand,
  type CommandValue,
  type Lobby,
  type LobbyCommand,
  type LobbyCommandName,
  type LobbyErrorCode,
  type LobbyEvent,
} from '../lobby';
import type { Scheduler, Timer } from '../util/scheduler';
import type { LobbyPort, LobbyReader, Notify } from './ports';

/** The lobby's refusals, as the codes clients see. A bad argument is a bad payload, not a bad state. */
const LOBBY_CODES: Record<LobbyErrorCode, ErrorCode> = {
  'not-found': 'not-found',
  'invalid-state': 'invalid-state',
  'invalid-language': 'invalid-language',
  'invalid-argument': 'invalid-payload',
  expired: 'expired',
  taken: 'taken',
};

export interface LobbyDriverDeps {
  lobby: Lobby;
  scheduler: Scheduler;
  notify: Notify;
  /** The lobby let a caller go on its own (e.g. a held place ran out): their line entry goes too. */
  onCallerLeft: (callerId: string) => void;
}

/**
 * Runs the pure lobby for real in this process: applies commands, relays the events they return
 * and keeps one timer set to the lobby's earliest deadline.
 */
export class LobbyDriver implements LobbyPort {
  readonly read: LobbyReader;
  #timer: Timer | null = null;
  #timerAt: number | null = null;
  #closed = false;

  constructor(private readonly deps: LobbyDriverDeps) {
    this.read = deps.lobby;
  }

  async run<K extends LobbyCommandName>(op: K, ...args: Parameters<Lobby[K]>): Promise<CommandValue<K>> {
    const result = applyCommand(this.deps.lobby, { op, args } as LobbyCommand);
    if (!result.ok) throw new RelayError(LOBBY_CODES[result.error.code], result.error.message);
    this.#apply(result.events);
    return result.value as CommandValue<K>;
  }

  async attempt<K extends LobbyCommandName>(op: K, ...args: Parameters<Lobby[K]>): Promise<boolean> {
    const result = applyCommand(this.deps.lobby, { op, args } as LobbyCommand);
    if (result.ok) this.#apply(result.events);
    return result.ok;
  }

  close(): void {
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = null;
  }

  #apply(events: LobbyEvent[]): void {
    for (const e of events) this.#relay(e);
    this.#schedule();
  }

  #relay(e: LobbyEvent): void {
    const { notify } = this.deps;
    switch (e.type) {
      case 'queue-position':
        notify('caller-position', e.callerId, { position: e.position, estimatedWaitMs: e.estimatedWaitMs });
        return;
      case 'fallback-available':
        notify('caller-fallback', e.callerId, { options: e.options, reason: e.reason });
        return;
      case 'offer':
        notify('agent-offer', e.agentId, {
          offerId: e.offerId,
          language: e.language,
          mode: e.mode,
          waitedMs: e.waitedMs,
          expiresAt: e.expiresAt,
          needsInterpreter: e.needsInterpreter,
          callback: e.callback === true,
        });
        return;
      case 'offer-expired':
      case 'offer-withdrawn':
        notify(
          'agent-offer-ended',
          e.agentId,
          e.offerId,
          e.type === 'offer-expired' ? 'expired' : 'withdrawn',
        );
        return;
      case 'agent-presence':
        notify('agent-presence', e.agentId, e.presence, e.reason);
        return;
      case 'volunteer-presence':
        notify('volunteer-presence', e.volunteerId, { presence: e.presence, withinHours: e.withinHours });
        return;
      case 'invitation':
        notify('volunteer-invitation', e.volunteerId, {
          invitationId: e.invitationId,
          language: e.language,
          expiresAt: e.expiresAt,
        });
        return;
      case 'invitation-withdrawn':
        notify('volunteer-invitation-ended', e.volunteerId, e.invitationId, e.reason);
        return;
      case 'caller-left':
        this.deps.onCallerLeft(e.callerId);
        return;
      case 'agent-away':
        // Told by the agent-presence event that comes with it (with its reason).
        return;
      case 'matched':
      case 'interpreter-joined':
        // Handled where the offer or invitation is accepted.
        return;
    }
  }

  /** One timer, set to the lobby's earliest deadline. */
  #schedule(): void {
    const at = this.deps.lobby.nextDeadline();
    if (at === this.#timerAt || this.#closed) return;
    this.#timer?.cancel();
    this.#timer = null;
    this.#timerAt = at;
    if (at === null) return;
    this.#timer = this.deps.scheduler.after(at - this.deps.scheduler.now(), () => {
      this.#timer = null;
      this.#timerAt = null;
      this.#apply(this.deps.lobby.tick());
    });
  }
}
