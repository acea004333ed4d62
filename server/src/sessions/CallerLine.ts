import { RelayError } from '../../../common/errors';
import type { CallMode, FallbackChoice, QueueView, ResumeResult } from '../../../common/protocol';
import type { Logger } from '../logger';
import type { Scheduler } from '../util/scheduler';
import type { CallEventLog } from './CallEventLog';
import type { GraceTimers } from './GraceTimers';
import type { DeskStore, StoredCaller, StoredSurvey } from './DeskStore';
import type { CallerPort, CallRecords, LobbyPort, Notify } from './ports';
import type { Session } from './Session';
import { newToken } from './tokens';
import { type CallerEntry, WaitingCallers } from './WaitingCallers';

/** How long after a call its caller may still rate it. */
const SURVEY_OPEN_MS = 30 * 60_000;

export interface CallerLineDeps {
  lobby: LobbyPort;
  records: CallRecords;
  /** The calls' event log: arrival, fallback choices, rating. */
  events: Pick<CallEventLog, 'queued' | 'write'>;
  notify: Notify;
  scheduler: Scheduler;
  /** Places held for callers whose connection dropped, keyed by caller id (default: the reconnect grace). */
  holds: GraceTimers;
  /** How long a caller who asked for a callback keeps their place while away from the screen. */
  callbackHoldMs: number;
  /** Where the next leader of a cluster finds the line (none in one process). */
  desk?: DeskStore;
  log: Logger;
}

/**
 * Callers from joining the line until after their call: places held across connection blips (or
 * while they step away for a callback), fallback choices, and the satisfaction survey.
 */
export class CallerLine implements CallerPort {
  readonly #entries = new WaitingCallers();
  /** Survey key → the record a caller may rate, once, for a while after the call. */
  readonly #surveys = new Map<string, string>();

  constructor(private readonly deps: CallerLineDeps) {}

  entry(callerId: string): CallerEntry | undefined {
    return this.#entries.get(callerId);
  }

  matched(callerId: string, token: string): void {
    const entry = this.#entries.get(callerId);
    if (!entry) return;
    entry.token = token;
    this.deps.holds.arrived(callerId);
    this.#save(entry);
  }

  requeued(callerId: string): void {
    const entry = this.#entries.get(callerId);
    if (!entry) return;
    entry.token = null;
    this.#save(entry);
  }

  callEnded(session: Session, callerId: string): void {
    this.remove(callerId);
    const caller = session.participantByRole('caller');
    if (!caller) return;
    const survey = {
      key: newToken(),
      recordId: session.recordId,
      expiresAt: this.deps.scheduler.now() + SURVEY_OPEN_MS,
    };
    this.#openSurvey(survey);
    this.deps.desk?.write({ kind: 'survey', id: survey.key, value: survey });
    this.deps.notify('caller-survey', caller.participantId, {
      surveyKey: survey.key,
      language: session.language,
    });
  }

  #openSurvey(survey: StoredSurvey): void {
    this.#surveys.set(survey.key, survey.recordId);
    this.deps.scheduler.after(survey.expiresAt - this.deps.scheduler.now(), () =>
      this.#closeSurvey(survey.key),
    );
  }

  #closeSurvey(key: string): void {
    if (this.#surveys.delete(key)) this.deps.desk?.write({ kind: 'survey', id: key, value: null });
  }

  /** What the desks' store keeps of a line entry (once its record is written). */
  #save(entry: CallerEntry): void {
    const stored = this.#stored(entry);
    if (stored) this.deps.desk?.write({ kind: 'caller', id: entry.callerId, value: stored });
  }

  #stored(entry: CallerEntry): StoredCaller | null {
    if (entry.writtenRecordId === undefined) return null;
    return {
      callerId: entry.callerId,
      recordId: entry.writtenRecordId,
      language: entry.language,
      mode: entry.mode,
      joinedAt: entry.joinedAt,
      resumeKey: entry.resumeKey,
      callback: entry.callback,
      token: entry.token,
    };
  }

  /**
   * Takes over the line another leader kept: entries still in the lobby (waiting) or answered
   * (their call goes on), and the surveys still open. Nobody is connected until a node reports
   * their socket (`present`); a waiting caller not reported within their grace lets their place go,
   * as after any dropped connection.
   */
  restore(callers: StoredCaller[], surveys: StoredSurvey[]): void {
    const now = this.deps.scheduler.now();
    for (const stored of callers) {
      const waiting = this.deps.lobby.read.callerView(stored.callerId) !== null;
      if (!waiting && stored.token === null) {
        this.deps.desk?.write({ kind: 'caller', id: stored.callerId, value: null });
        continue;
      }
      const entry: CallerEntry = {
        ...stored,
        recordId: Promise.resolve(stored.recordId),
        writtenRecordId: stored.recordId,
        connected: true,
      };
      this.#entries.restore(entry);
      if (stored.token === null) this.disconnected(stored.callerId);
    }
    for (const survey of surveys) if (survey.expiresAt > now) this.#openSurvey(survey);
  }

  /** The line and the open surveys as the desks' store keeps them. */
  stored(): { callers: StoredCaller[]; surveys: StoredSurvey[] } {
    const now = this.deps.scheduler.now();
    return {
      callers: this.#entries.all().flatMap((e) => {
        const stored = this.#stored(e);
        return stored ? [stored] : [];
      }),
      // Their expiry is not kept in memory: a survey let go of stays open its full time again.
      surveys: [...this.#surveys].map(([key, recordId]) => ({
        key,
        recordId,
        expiresAt: now + SURVEY_OPEN_MS,
      })),
    };
  }

  /** A node reports the caller's socket after a change of leader: they never left. */
  present(callerId: string): void {
    const entry = this.#entries.get(callerId);
    if (!entry) return;
    entry.connected = true;
    this.deps.holds.arrived(callerId);
  }

  /** No waiting caller's place lapses while nobody is sure who leads. */
  freeze(): void {
    this.deps.holds.clear();
  }

  /** Leading again: the wait starts again for each waiting caller who is away. */
  thaw(): void {
    for (const entry of this.#entries.all())
      if (!entry.connected && this.#entries.isWaiting(entry.callerId)) this.disconnected(entry.callerId);
  }

  /** This node no longer leads: it forgets the line without a word (the new leader has it). */
  standDown(): void {
    this.deps.holds.clear();
    this.#entries.clear();
    this.#surveys.clear();
  }

  /** The lobby let a caller go on its own: forget them too. */
  left(callerId: string): void {
    if (this.#entries.isWaiting(callerId)) this.remove(callerId);
  }

  remove(callerId: string): void {
    this.deps.holds.arrived(callerId);
    if (!this.#entries.get(callerId)) return;
    this.#entries.remove(callerId);
    this.deps.desk?.write({ kind: 'caller', id: callerId, value: null });
  }

  clear(): void {
    this.deps.holds.clear();
    this.#entries.clear();
  }

  async request(
    callerId: string,
    language: string,
    mode: CallMode,
  ): Promise<QueueView & { resumeKey: string }> {
    const joinedAt = this.deps.scheduler.now();
    const view = await this.deps.lobby.run('enqueueCaller', { callerId, language, mode });
    // The record is written after the lobby accepted, so a refused request leaves nothing behind.
    const recordId = this.deps.records.start({ callerLanguage: language, mode }).then((r) => r.id);
    const entry = this.#entries.add({ callerId, recordId, language, mode, joinedAt });
    this.deps.events.queued(callerId, recordId, {
      language,
      mode,
      joinedAt,
      estimateMs: view.estimatedWaitMs,
    });
    entry.writtenRecordId = await recordId;
    this.#save(entry);
    this.deps.log.info({ callerId, language, mode }, 'caller joined the line');
    // The place as it is now: while the record was written others may have left, and their update
    // has gone out already; an answer with the place at enqueue time would arrive after it, stale.
    const now = this.deps.lobby.read.callerView(callerId) ?? view;
    return { ...now, resumeKey: entry.resumeKey };
  }

  async cancel(callerId: string, reason: 'cancelled' | 'abandoned'): Promise<void> {
    const entry = this.#requireWaiting(callerId);
    const { waitedMs } = await this.deps.lobby.run('cancelCaller', callerId, reason);
    this.remove(callerId);
    entry.recordId
      .then((id) => this.deps.records.ended(id, { outcome: 'abandoned', waitedMs }))
      .catch((err: unknown) => this.deps.log.error({ err }, 'could not record an abandoned call'));
    this.deps.log.info({ callerId, reason, waitedMs }, 'caller left the line');
  }

  isWaiting(callerId: string): boolean {
    return this.#entries.isWaiting(callerId);
  }

  async chooseFallback(callerId: string, choice: FallbackChoice): Promise<void> {
    const entry = this.#requireWaiting(callerId);
    await this.deps.lobby.run('chooseFallback', callerId, choice);
    this.deps.events.write(entry.recordId, { type: 'fallback-chosen', choice });
    if (choice === 'callback') entry.callback = true;
    if (choice === 'text') entry.mode = 'text';
    this.#save(entry);
    this.deps.log.info({ callerId, choice }, 'caller chose a fallback');
  }

  /** The caller came back on a new connection with their resume key: their place, or their call. */
  resume(resumeKey: string): { callerId: string; result: ResumeResult } {
    const entry = this.#entries.byResumeKey(resumeKey);
    if (!entry) throw new RelayError('not-found', 'that place in line is no longer held');
    this.deps.holds.arrived(entry.callerId);
    entry.connected = true;
    if (entry.token) return { callerId: entry.callerId, result: { status: 'matched', token: entry.token } };
    const view = this.deps.lobby.read.callerView(entry.callerId);
    if (!view) throw new RelayError('not-found', 'that place in line is no longer held');
    return { callerId: entry.callerId, result: { status: 'waiting', view } };
  }

  /** A waiting caller's connection dropped: they keep their place for a while before it counts as abandoned. */
  disconnected(callerId: string): void {
    const entry = this.#entries.get(callerId);
    if (!entry || entry.token) return;
    entry.connected = false;
    const lapse = () => {
      if (entry.connected || !this.#entries.isWaiting(callerId)) return;
      this.cancel(callerId, 'abandoned').catch((err: unknown) =>
        this.deps.log.error({ err, callerId }, 'could not let a caller go'),
      );
    };
    this.deps.holds.expect(callerId, lapse, entry.callback ? this.deps.callbackHoldMs : undefined);
  }

  #requireWaiting(callerId: string): CallerEntry {
    const entry = this.#entries.get(callerId);
    if (!entry || !this.#entries.isWaiting(callerId))
      throw new RelayError('invalid-state', 'you are not waiting');
    return entry;
  }

  /** The caller's rating of the call (1–5), in their own language; one per call. */
  async rate(surveyKey: string, rating: number): Promise<void> {
    const recordId = this.#surveys.get(surveyKey);
    if (!recordId) throw new RelayError('not-found', 'this call can no longer be rated');
    this.#closeSurvey(surveyKey);
    await this.deps.records.rate(recordId, rating);
    this.deps.events.write(recordId, { type: 'rated', rating });
  }
}
