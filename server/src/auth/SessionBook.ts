import type { StaffIdentity } from './AuthSessions';

/**
 * Where signed-in sessions are kept: in this process by default; shared (Redis) in a cluster, so a
 * sign-in on one node is known to every node a later request or socket may reach.
 */
export interface SessionBook {
  put(id: string, identity: StaffIdentity, ttlMs: number): Promise<void>;
  get(id: string): Promise<StaffIdentity | null>;
  delete(id: string): Promise<void>;
}

export class InMemorySessionBook implements SessionBook {
  readonly #sessions = new Map<string, StaffIdentity & { expiresAt: number }>();

  constructor(private readonly clock: () => number) {}

  async put(id: string, identity: StaffIdentity, ttlMs: number): Promise<void> {
    this.#sessions.set(id, { ...identity, expiresAt: this.clock() + ttlMs });
  }

  async get(id: string): Promise<StaffIdentity | null> {
    const s = this.#sessions.get(id);
    if (!s) return null;
    if (s.expiresAt <= this.clock()) {
      this.#sessions.delete(id);
      return null;
    }
    return { accountId: s.accountId, role: s.role, generation: s.generation };
  }

  async delete(id: string): Promise<void> {
    this.#sessions.delete(id);
  }
}
