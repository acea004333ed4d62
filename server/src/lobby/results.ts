// Result helpers and input checks shared by the public methods.
import type { LobbyErrorCode, LobbyResult } from './types';

export function fail(code: LobbyErrorCode, message: string): LobbyResult<never> {
  return { ok: false, error: { code, message } };
}

export const MAX_ID_LENGTH = 200;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** How many closed offers (and, apart, invitations) are remembered; the oldest is forgotten first. */
export const CLOSED_MEMORY = 10_000;

/** Remembers how recently closed offers/invitations ended, so a late reply gets the right error. */
export class ClosedLog<R extends string> {
  private readonly byId = new Map<string, { owner: string; reason: R }>();
  // The ids in insertion order, as a ring: the oldest is ring[head]. Evicting through the Map's own
  // iterator (keys().next()) walks over every slot deleted since its last rehash, which made
  // forgetting an offer cost thousands of steps once the log was full (a sixth of a long simulation).
  private readonly ring: string[] = [];
  private head = 0;

  constructor(private readonly limit = CLOSED_MEMORY) {}

  set(id: string, owner: string, reason: R): void {
    if (this.byId.has(id)) {
      this.byId.set(id, { owner, reason });
      return;
    }
    if (this.ring.length < this.limit) {
      this.ring.push(id);
    } else {
      this.byId.delete(this.ring[this.head]!);
      this.ring[this.head] = id;
      this.head = (this.head + 1) % this.limit;
    }
    this.byId.set(id, { owner, reason });
  }

  /** Oldest first: the order eviction follows. */
  entries(): Array<{ id: string; ownerId: string; reason: R }> {
    return [...this.byId.entries()].map(([id, e]) => ({ id, ownerId: e.owner, reason: e.reason }));
  }

  /** Restore: the same entries in the same order (on an empty log). */
  load(entries: ReadonlyArray<{ id: string; ownerId: string; reason: R }>): void {
    for (const e of entries) this.set(e.id, e.ownerId, e.reason);
  }

  reasonFor(id: string, owner: string): R | undefined {
    const e = this.byId.get(id);
    return e !== undefined && e.owner === owner ? e.reason : undefined;
  }
}
