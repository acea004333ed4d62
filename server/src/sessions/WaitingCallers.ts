import type { CallMode } from '../../../common/protocol';
import { newToken } from './tokens';

export interface CallerEntry {
  callerId: string;
  /** The call record, written once the lobby has accepted the caller. */
  recordId: Promise<string>;
  /** The same, once written: what the desks' store keeps. */
  writtenRecordId?: string;
  language: string;
  mode: CallMode;
  joinedAt: number;
  /** Secret that lets the same caller take their place back on a new connection. */
  resumeKey: string;
  callback: boolean;
  connected: boolean;
  /** Set once an agent answered: the caller's join token, until they join or the call ends. */
  token: string | null;
}

/**
 * Callers from joining the line until their call starts, by caller id and by resume key.
 */
export class WaitingCallers {
  readonly #byId = new Map<string, CallerEntry>();
  readonly #byResumeKey = new Map<string, CallerEntry>();

  add(entry: Omit<CallerEntry, 'resumeKey' | 'callback' | 'connected' | 'token'>): CallerEntry {
    const full: CallerEntry = {
      ...entry,
      resumeKey: newToken(),
      callback: false,
      connected: true,
      token: null,
    };
    this.#byId.set(full.callerId, full);
    this.#byResumeKey.set(full.resumeKey, full);
    return full;
  }

  /** A caller taken over from another leader, as they were (not connected until reported). */
  restore(entry: CallerEntry): void {
    this.#byId.set(entry.callerId, entry);
    this.#byResumeKey.set(entry.resumeKey, entry);
  }

  all(): CallerEntry[] {
    return [...this.#byId.values()];
  }

  get(callerId: string): CallerEntry | undefined {
    return this.#byId.get(callerId);
  }

  byResumeKey(key: string): CallerEntry | undefined {
    return this.#byResumeKey.get(key);
  }

  /** In line and not yet answered. */
  isWaiting(callerId: string): boolean {
    const e = this.#byId.get(callerId);
    return e !== undefined && e.token === null;
  }

  remove(callerId: string): void {
    const e = this.#byId.get(callerId);
    if (!e) return;
    this.#byId.delete(callerId);
    this.#byResumeKey.delete(e.resumeKey);
  }

  clear(): void {
    for (const id of [...this.#byId.keys()]) this.remove(id);
  }
}
