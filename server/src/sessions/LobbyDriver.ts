import { RelayError, type ErrorCode } from '../../../common/errors';
import type {
  CommandValue,
  Lobby,
  LobbyCommand,
  LobbyCommandName,
  LobbyErrorCode,
  LobbyEvent,
  LobbyResult,
} from '../lobby';
import type { LobbyEngine } from './LobbyEngine';
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
  engine: LobbyEngine;
  notify: Notify;
  /** The lobby let a caller go on its own (e.g. a held place ran out): their line entry goes too. */
  onCallerLeft: (callerId: string) => void;
  /**
   * Every event relayed, for the calls' event log. Only the driver that applied the command (or
   * ticked the deadline) relays it, so in a cluster each event is seen once, on the leader.
   */
  onEvent?: (event: LobbyEvent) => void;
}

/**
 * Runs the pure lobby for real: applies commands through its engine (this process, or a replicated
 * log) and relays the events they return, and those of deadlines the engine ran on its own.
 */
export class LobbyDriver implements LobbyPort {
  constructor(private readonly deps: LobbyDriverDeps) {
    deps.engine.onDeadlines((events) => this.#relayAll(events));
  }

  get read(): LobbyReader {
    return this.deps.engine.lobby;
  }

  async run<K extends LobbyCommandName>(op: K, ...args: Parameters<Lobby[K]>): Promise<CommandValue<K>> {
    const result = await this.#apply(op, args);
    if (!result.ok) throw new RelayError(LOBBY_CODES[result.error.code], result.error.message);
    return result.value as CommandValue<K>;
  }

  async attempt<K extends LobbyCommandName>(op: K, ...args: Parameters<Lobby[K]>): Promise<boolean> {
    return (await this.#apply(op, args)).ok;
  }

  close(): void {
    this.deps.engine.close();
  }

  async #apply(op: LobbyCommandName, args: unknown[]): Promise<LobbyResult<unknown>> {
    const result = await this.deps.engine.apply({ op, args } as LobbyCommand);
    if (result.ok) this.#relayAll(result.events);
    return result;
  }

  #relayAll(events: LobbyEvent[]): void {
    for (const e of events) {
      this.deps.onEvent?.(e);
      this.#relay(e);
    }
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
}
