import type { AgentPresence, VolunteerPresence } from '../../../common/protocol';

export interface StaffIdentity {
  id: string;
  displayName: string;
  languages: string[];
}

/** Who the connected agents and volunteers are and what state we last told them they are in. */
export class StaffDirectory<P extends AgentPresence | VolunteerPresence> {
  readonly #identity = new Map<string, StaffIdentity>();
  readonly #presence = new Map<string, P>();

  constructor(private readonly initial: P) {}

  remember(identity: StaffIdentity): void {
    this.#identity.set(identity.id, identity);
  }

  identity(id: string): StaffIdentity | undefined {
    return this.#identity.get(id);
  }

  presence(id: string): P {
    return this.#presence.get(id) ?? this.initial;
  }

  setPresence(id: string, presence: P): void {
    this.#presence.set(id, presence);
  }

  /** Moves to `to` only from one of `from` (e.g. an expired offer makes an offered agent available). */
  transition(id: string, from: P[], to: P): void {
    if (from.includes(this.presence(id))) this.#presence.set(id, to);
  }
}
