import type { DeskStore, StoredStaff } from './DeskStore';

export interface StaffIdentity {
  id: string;
  displayName: string;
  languages: string[];
  /** An agent's shift (a name in the lobby's shift calendar), if the account has one. */
  shift?: string | null;
}

/**
 * Who the connected agents and volunteers are, and whether any of their screens is connected.
 * Never their presence: the lobby owns that, and everything shown is read from it. Identities go
 * to the desks' store, so a new leader still knows their names.
 */
export class StaffDirectory {
  readonly #identity = new Map<string, StaffIdentity>();
  readonly #connected = new Set<string>();

  constructor(
    private readonly kind: StoredStaff['kind'],
    private readonly desk?: DeskStore,
  ) {}

  connected(identity: StaffIdentity): void {
    this.#identity.set(identity.id, identity);
    this.#connected.add(identity.id);
    const { id, displayName, languages } = identity;
    this.desk?.write({ kind: 'staff', id, value: { kind: this.kind, id, displayName, languages } });
  }

  /** Their last screen went away. */
  disconnected(id: string): void {
    this.#connected.delete(id);
  }

  /** Known from another leader's time: not connected until a node reports their socket. */
  restore(staff: StoredStaff): void {
    if (staff.kind !== this.kind) return;
    this.#identity.set(staff.id, {
      id: staff.id,
      displayName: staff.displayName,
      languages: staff.languages,
    });
  }

  /** A node reports one of their sockets after a change of leader. */
  present(id: string): boolean {
    if (!this.#identity.has(id)) return false;
    this.#connected.add(id);
    return true;
  }

  /** Known, but no node has reported a socket of theirs. */
  unreported(): string[] {
    return [...this.#identity.keys()].filter((id) => !this.#connected.has(id));
  }

  stored(): StoredStaff[] {
    return [...this.#identity.values()].map((i) => ({ kind: this.kind, ...i }));
  }

  isConnected(id: string): boolean {
    return this.#connected.has(id);
  }

  identity(id: string): StaffIdentity | undefined {
    return this.#identity.get(id);
  }

  clear(): void {
    this.#identity.clear();
    this.#connected.clear();
  }
}
