import type { CallMode, FallbackChoice, QueueView, ResumeResult } from '../../../common/protocol';
import type { DeskContext } from './CallCenter';
import { CallCenterError, expectOk } from './errors';
import type { Session } from './Session';
import { newToken } from './tokens';
import { type CallerEntry, WaitingCallers } from './WaitingCallers';

/**
 * Callers from joining the line until after their call: places held across connection blips (or
 * while they step away for a callback), fallback choices, and the satisfaction survey.
 */
export class CallerLine {
  readonly #entries = new WaitingCallers();
  /** Survey key → the record a caller may rate, once, for a while after the call. */
  readonly #surveys = new Map<string, string>();

  constructor(
    private readonly ctx: DeskContext,
    /** How long a caller who asked for a callback keeps their place while away from the screen. */
    private readonly callbackHoldMs: number,
  ) {}

  entry(callerId: string): CallerEntry | undefined {
    return this.#entries.get(callerId);
  }

  /** The call is over: the caller leaves the line's books and is offered the survey. */
  callEnded(session: Session, callerId: string): void {
    this.#entries.remove(callerId);
    const caller = session.participantByRole('caller');
    if (!caller) return;
    const surveyKey = newToken();
    this.#surveys.set(surveyKey, session.recordId);
    setTimeout(() => this.#surveys.delete(surveyKey), 30 * 60_000).unref();
    this.ctx.emit('caller-survey', caller.participantId, { surveyKey, language: session.language });
  }

  /** The lobby let a caller go on its own: forget them too. */
  left(callerId: string): void {
    if (this.#entries.isWaiting(callerId)) this.#entries.remove(callerId);
  }

  remove(callerId: string): void {
    this.#entries.remove(callerId);
  }

  clear(): void {
    this.#entries.clear();
  }

  async request(
    callerId: string,
    language: string,
    mode: CallMode,
  ): Promise<QueueView & { resumeKey: string }> {
    const joinedAt = this.ctx.clock();
    const { value, events } = expectOk(this.ctx.lobby.enqueueCaller({ callerId, language, mode }));
    // The record is written after the lobby accepted, so a refused request leaves nothing behind.
    const recordId = this.ctx.records.start({ callerLanguage: language, mode }).then((r) => r.id);
    const entry = this.#entries.add({ callerId, recordId, language, mode, joinedAt });
    this.ctx.apply(events);
    await recordId;
    this.ctx.log.info({ callerId, language, mode }, 'caller joined the line');
    return { ...value, resumeKey: entry.resumeKey };
  }

  cancel(callerId: string, reason: 'cancelled' | 'abandoned'): void {
    const entry = this.#requireWaiting(callerId);
    const { value, events } = expectOk(this.ctx.lobby.cancelCaller(callerId, reason));
    this.#entries.remove(callerId);
    this.ctx.apply(events);
    entry.recordId
      .then((id) => this.ctx.records.ended(id, { outcome: 'abandoned', waitedMs: value.waitedMs }))
      .catch((err: unknown) => this.ctx.log.error({ err }, 'could not record an abandoned call'));
    this.ctx.log.info({ callerId, reason, waitedMs: value.waitedMs }, 'caller left the line');
  }

  isWaiting(callerId: string): boolean {
    return this.#entries.isWaiting(callerId);
  }

  chooseFallback(callerId: string, choice: FallbackChoice): void {
    const entry = this.#requireWaiting(callerId);
    const { events } = expectOk(this.ctx.lobby.chooseFallback(callerId, choice));
    if (choice === 'callback') entry.callback = true;
    if (choice === 'text') entry.mode = 'text';
    this.ctx.log.info({ callerId, choice }, 'caller chose a fallback');
    this.ctx.apply(events);
  }

  /** The caller came back on a new connection with their resume key: their place, or their call. */
  resume(resumeKey: string): { callerId: string; result: ResumeResult } {
    const entry = this.#entries.byResumeKey(resumeKey);
    if (!entry) throw new CallCenterError('not-found', 'that place in line is no longer held');
    if (entry.leaveTimer) clearTimeout(entry.leaveTimer);
    entry.leaveTimer = null;
    entry.connected = true;
    if (entry.token) return { callerId: entry.callerId, result: { status: 'matched', token: entry.token } };
    const view = this.ctx.lobby.callerView(entry.callerId);
    if (!view) throw new CallCenterError('not-found', 'that place in line is no longer held');
    return { callerId: entry.callerId, result: { status: 'waiting', view } };
  }

  /** A waiting caller's connection dropped: they keep their place for a while before it counts as abandoned. */
  disconnected(callerId: string): void {
    const entry = this.#entries.get(callerId);
    if (!entry || entry.token) return;
    entry.connected = false;
    if (entry.leaveTimer) clearTimeout(entry.leaveTimer);
    const holdMs = entry.callback ? this.callbackHoldMs : this.ctx.graceMs;
    entry.leaveTimer = setTimeout(() => {
      entry.leaveTimer = null;
      if (!entry.connected && this.#entries.isWaiting(callerId)) this.cancel(callerId, 'abandoned');
    }, holdMs);
    entry.leaveTimer.unref();
  }

  #requireWaiting(callerId: string): CallerEntry {
    const entry = this.#entries.get(callerId);
    if (!entry || !this.#entries.isWaiting(callerId))
      throw new CallCenterError('invalid-state', 'you are not waiting');
    return entry;
  }

  /** The caller's rating of the call (1–5), in their own language; one per call. */
  async rate(surveyKey: string, rating: number): Promise<void> {
    const recordId = this.#surveys.get(surveyKey);
    if (!recordId) throw new CallCenterError('not-found', 'this call can no longer be rated');
    this.#surveys.delete(surveyKey);
    await this.ctx.records.rate(recordId, rating);
  }
}
