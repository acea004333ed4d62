/**
 * Keeps staff presence over time: every change the lobby tells (relayed by the call centre as
 * `agent-presence` and `volunteer-presence`) becomes a presence write, through the same buffered,
 * journalled path as call records. In a cluster only the leader runs the call centre's relays, so
 * each change is written once. A volunteer's event that only says their hours began or ended is no
 * change of state and is not written.
 */
import type { AwayReason } from '../../../common/presence';
import type { AgentPresence, VolunteerStatus } from '../../../common/protocol';
import type { Logger } from '../logger';
import type { PresenceChange, PresenceWrites } from '../store';

/** The two events the recorder listens to (CallCenter's). */
export interface PresenceEvents {
  on(
    event: 'agent-presence',
    listener: (agentId: string, presence: AgentPresence, reason?: AwayReason) => void,
  ): unknown;
  on(event: 'volunteer-presence', listener: (volunteerId: string, status: VolunteerStatus) => void): unknown;
}

export interface PresenceRecorderDeps {
  writes: PresenceWrites;
  clock: () => number;
  log: Logger;
}

export class PresenceRecorder {
  /** Each account's last written state and reason, so repeats are not written. */
  readonly #last = new Map<string, PresenceChange>();
  readonly #pending = new Set<Promise<void>>();
  #closed = false;

  constructor(private readonly deps: PresenceRecorderDeps) {}

  listen(events: PresenceEvents): void {
    events.on('agent-presence', (accountId, state, reason) =>
      this.record({ accountId, role: 'agent', state, reason: reason ?? null }),
    );
    events.on('volunteer-presence', (accountId, { presence }) =>
      this.record({ accountId, role: 'volunteer', state: presence, reason: null }),
    );
  }

  record(change: PresenceChange): void {
    if (this.#closed) return;
    const last = this.#last.get(change.accountId);
    if (last?.state === change.state && last.reason === change.reason) return;
    this.#last.set(change.accountId, change);
    const write = this.deps.writes
      .presenceChanged(change, this.deps.clock())
      // The calls go on whatever the store says; a refused write is the operator's to see.
      .catch((err: unknown) => this.deps.log.error({ err, change }, 'could not record a presence change'))
      .finally(() => this.#pending.delete(write));
    this.#pending.add(write);
  }

  /**
   * One process stopping: everyone it saw online goes offline now, so their intervals end at the
   * stop rather than at the next start's guess. (Never in a cluster: staff stay with the next leader.)
   */
  async closeAll(): Promise<void> {
    for (const last of [...this.#last.values()]) {
      if (last.state !== 'offline') this.record({ ...last, state: 'offline', reason: null });
    }
    // What the closing call centre tells after this would reach a store that is closing too.
    this.#closed = true;
    await this.settled();
  }

  /** Resolves once every write made so far has been answered (or journalled). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
