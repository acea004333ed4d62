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

/** Remembers how recently closed offers/invitations ended, so a late reply gets the right error. */
export class ClosedLog<R extends string> {
  private readonly entries = new Map<string, { owner: string; reason: R }>();

  constructor(private readonly limit = 10_000) {}

  set(id: string, owner: string, reason: R): void {
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(id, { owner, reason });
  }

  reasonFor(id: string, owner: string): R | undefined {
    const e = this.entries.get(id);
    return e !== undefined && e.owner === owner ? e.reason : undefined;
  }
}
