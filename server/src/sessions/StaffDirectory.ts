export interface StaffIdentity {
  id: string;
  displayName: string;
  languages: string[];
}

/**
 * Who the connected agents and volunteers are, and whether any of their screens is connected.
 * Never their presence: the lobby owns that, and everything shown is read from it.
 */
export class StaffDirectory {
  readonly #identity = new Map<string, StaffIdentity>();
  readonly #connected = new Set<string>();

  connected(identity: StaffIdentity): void {
    this.#identity.set(identity.id, identity);
    this.#connected.add(identity.id);
  }

  /** Their last screen went away. */
  disconnected(id: string): void {
    this.#connected.delete(id);
  }

  isConnected(id: string): boolean {
    return this.#connected.has(id);
  }

  identity(id: string): StaffIdentity | undefined {
    return this.#identity.get(id);
  }
}
