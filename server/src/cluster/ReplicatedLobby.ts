import type { Clock, Lobby, LobbyCommand, LobbyEvent, LobbyResult } from '../lobby';
import type { Scheduler, Timer } from '../util/scheduler';
import { TypedEmitter } from '../util/TypedEmitter';
import { applyEntry } from './applyEntry';
import type { CommandLog, LogEntry, LogRecord, LogSnapshot } from './CommandLog';
import { ClosedError, LogTrimmedError, NotLeaderError, StaleEpochError } from './errors';
import type { LobbyStateCodec } from './LobbyStateCodec';
import { asStored } from './logCodec';

/**
 * How far a reseeded log's position jumps past the leader's (README, "Redis came back empty"):
 * beyond any position another node could have reached in the log that was lost, so every other
 * node finds itself behind the new snapshot and restores it, none ahead of it.
 */
export const RESEED_GAP = 1_000_000;

/** One log entry, applied to this node's lobby. */
export interface AppliedEntry {
  position: number;
  epoch: number;
  entry: LogEntry;
  /** What the command returned (a tick: ok, with the tick's events). */
  result: LobbyResult<unknown>;
  /** The events to relay (none for a refused command: a refusal changes nothing). */
  events: LobbyEvent[];
  /** This node appended it as the leader: it is the one that relays the events. */
  appendedHere: boolean;
}

/**
 * idle: not started · following: tails the log (a hot standby) · catching-up: won the lease, reading
 * the old leader's last entries · leading: appends and applies · closed.
 */
export type ReplicaRole = 'idle' | 'following' | 'catching-up' | 'leading' | 'closed';

export interface ReplicatedLobbyEvents extends Record<string, unknown[]> {
  applied: [AppliedEntry];
  role: [ReplicaRole];
  /** The store had lost the log: this node, leading, started it again from its lobby. */
  reseeded: [{ position: number; epoch: number }];
  /** Something failed that no caller is waiting on (a read, a snapshot save); the replica goes on. */
  error: [unknown];
}

export interface ReplicatedLobbyDeps {
  log: CommandLog;
  /** The leader's time (for the `now` of each entry and its one deadline timer). */
  scheduler: Scheduler;
  /** A fresh lobby reading time from `clock` (same config on every node). */
  createLobby: (clock: Clock) => Lobby;
  /** Snapshots are taken (by the leader) and restored (by a node starting late) only with one. */
  codec?: LobbyStateCodec;
  /** The leader saves a snapshot at every position that is a multiple of this (default 1000). */
  snapshotEvery?: number;
  /** How long one blocking read of the log waits for an entry (default 1000 ms). */
  followBlockMs?: number;
  /** Pause after a failed read before the next (default 500 ms). */
  retryMs?: number;
  nodeId?: string;
}

interface Leadership {
  epoch: number;
  /** The lease keeper's word, asked at every command (so a paused node stops at once). */
  stillValid: () => boolean;
}

/**
 * One lobby replicated through a CommandLog. The lobby stays pure: its clock reads the `now` of the
 * entry being applied, so every node computes the same state from the same entries.
 *
 * As leader, `run` takes `now`, appends `{now, command}` fenced by the epoch, then applies it; a
 * refused append (StaleEpochError) means a newer leader exists: it steps down and changes nothing.
 * One timer on `nextDeadline()` appends `{now, tick}` then ticks. Entries are appended and applied
 * one at a time, so the local order is the log's. As standby it tails the log and applies each
 * entry with its `now`, and never ticks on its own. On gaining the lease it first applies what is
 * left of the log (the old leader's last entries), then leads: deadlines that fell due meanwhile
 * fire once, at its first tick.
 */
export class ReplicatedLobby extends TypedEmitter<ReplicatedLobbyEvents> {
  #lobby: Lobby;
  #now = 0;
  #position = 0;
  #role: ReplicaRole = 'idle';
  #leadership: Leadership | null = null;
  /** Bumped to stop the current follow loop (its results are then ignored). */
  #generation = 0;
  #abort: AbortController | null = null;
  #timer: Timer | null = null;
  #timerAt: number | null = null;
  #chain: Promise<unknown> = Promise.resolve();
  #savingSnapshot = false;
  /** The highest epoch of any entry applied here (a reseed keeps the epoch counter above it). */
  #maxEpoch = 0;
  /** An append failed without a clear answer (it may be in the log): catch up before the next. */
  #unsure = false;
  readonly #clock: Clock = () => this.#now;
  readonly #snapshotEvery: number;

  constructor(private readonly deps: ReplicatedLobbyDeps) {
    super();
    this.#lobby = deps.createLobby(this.#clock);
    this.#snapshotEvery = deps.snapshotEvery ?? 1000;
    if (!Number.isInteger(this.#snapshotEvery) || this.#snapshotEvery < 1) {
      throw new RangeError('snapshotEvery must be an integer >= 1');
    }
  }

  /** This node's copy. Read it freely; change it only through `run`. */
  get lobby(): Lobby {
    return this.#lobby;
  }

  get role(): ReplicaRole {
    return this.#role;
  }

  /** The last log position applied here. */
  get position(): number {
    return this.#position;
  }

  /** The epoch this node leads under, or null. */
  get epoch(): number | null {
    return this.#role === 'leading' ? (this.#leadership?.epoch ?? null) : null;
  }

  /** Loads the latest snapshot (with a codec), then follows the log from there. */
  async start(): Promise<void> {
    if (this.#role !== 'idle') return;
    const snapshot = this.deps.codec === undefined ? null : await this.deps.log.latestSnapshot();
    if (this.#role !== 'idle') return; // closed, or told to lead (which reads the log itself) meanwhile
    if (snapshot !== null) this.#restore(snapshot);
    this.#startFollowing();
  }

  /** The lease was won under `epoch`: catch up to the end of the log, then lead. */
  lead(epoch: number, stillValid: () => boolean = () => true): Promise<void> {
    if (this.#role === 'closed') return Promise.reject(new ClosedError('replicated lobby'));
    if (this.#leadership?.epoch === epoch) return Promise.resolve();
    const leadership: Leadership = { epoch, stillValid };
    this.#leadership = leadership;
    this.#stopFollowing();
    this.#setRole('catching-up');
    return this.#serial(async () => {
      if ((await this.#catchUp(() => this.#leadership === leadership)) === 'lost') {
        await this.#reseed(leadership);
      }
      if (this.#leadership !== leadership) return;
      this.#setRole('leading');
      this.#schedule();
    });
  }

  /** The lease was lost: stop leading now; follow again once the command in flight has settled. */
  stepDown(): void {
    if (this.#leadership === null || this.#role === 'closed') return;
    this.#leadership = null;
    this.#cancelTimer();
    this.#setRole('following');
    void this.#serial(async () => this.#startFollowing());
  }

  /**
   * Leader only: appends the command with its `now`, then applies it. Rejects with NotLeaderError
   * (not leading, or the lease ran out by the clock) or StaleEpochError (fenced: the log refused
   * it); in both cases nothing was applied, anywhere.
   */
  run(command: LobbyCommand): Promise<LobbyResult<unknown>> {
    return this.#serial(async () => (await this.#appendAndApply((now) => ({ now, command }))).result);
  }

  /** Stops following and leading. A command still waiting on its append settles on its own. */
  close(): void {
    if (this.#role === 'closed') return;
    this.#leadership = null;
    this.#stopFollowing();
    this.#cancelTimer();
    this.#setRole('closed');
  }

  // ───────────────────────────── leading ─────────────────────────────

  async #appendAndApply(make: (now: number) => LogEntry): Promise<AppliedEntry> {
    const leadership = this.#leadership;
    if (this.#role !== 'leading' || leadership === null || !leadership.stillValid()) {
      if (leadership !== null && this.#role === 'leading') this.stepDown();
      throw new NotLeaderError(this.deps.nodeId ?? null);
    }
    const stillLeading = (): boolean => this.#leadership === leadership;
    if (this.#unsure) {
      // The last append failed without an answer: it may have happened. The log knows.
      if ((await this.#catchUp(stillLeading)) === 'lost') await this.#reseed(leadership);
      if (!stillLeading()) throw new NotLeaderError(this.deps.nodeId ?? null);
      this.#unsure = false;
    }
    // Never back in time, even if this node's clock is behind the previous leader's.
    const entry = asStored(make(Math.max(this.deps.scheduler.now(), this.#now)));
    let position: number;
    try {
      position = await this.deps.log.append(leadership.epoch, entry);
      if (position <= this.#position) {
        // The log lost entries this node applied (an AOF older than this lobby): ours landed at a
        // position already used. Start the log again from this lobby (which drops it), then append.
        await this.#reseed(leadership);
        if (!stillLeading()) throw new NotLeaderError(this.deps.nodeId ?? null);
        position = await this.deps.log.append(leadership.epoch, entry);
      }
    } catch (error) {
      if (error instanceof StaleEpochError) {
        if (stillLeading()) this.stepDown();
      } else {
        this.#unsure = true;
      }
      throw error;
    }
    // Only after an append whose answer was lost can the log be ahead of us: read up to ours.
    if (position > this.#position + 1) await this.#catchUp(stillLeading, position - 1);
    if (position !== this.#position + 1) {
      // Lost the lease while reading up to it: the entry is in the log, and this node (now
      // following) or the next leader applies it from there.
      throw new Error(`entry ${position} was logged, but this node stopped leading before applying it`);
    }
    return this.#apply({ position, epoch: leadership.epoch, entry }, true);
  }

  /**
   * The store lost entries this node applied (Redis came back empty, or from an older AOF): rather
   * than lead from a log that ends before this lobby, start the log again from it, at a fresh
   * position (RESEED_GAP) where every other node restores it. Retries until done or no longer
   * leading. Without a codec there is nothing to start from: it says so and leads on.
   */
  async #reseed(leadership: Leadership): Promise<void> {
    const { codec, log } = this.deps;
    if (codec === undefined) {
      this.safeEmit('error', new Error('the log lost entries, and without a codec it cannot be reseeded'));
      return;
    }
    while (this.#leadership === leadership) {
      try {
        const snapshot = {
          position: this.#position + RESEED_GAP,
          now: this.#now,
          state: codec.save(this.#lobby),
        };
        await log.reseed(leadership.epoch, snapshot, Math.max(this.#maxEpoch, leadership.epoch));
        this.#position = snapshot.position;
        this.safeEmit('reseeded', { position: snapshot.position, epoch: leadership.epoch });
        return;
      } catch (error) {
        if (error instanceof StaleEpochError) {
          if (this.#leadership === leadership) this.stepDown();
          return;
        }
        this.safeEmit('error', error);
        await this.#sleep(this.deps.retryMs ?? 500);
      }
    }
  }

  async #tick(): Promise<void> {
    if (this.#role !== 'leading') return;
    const due = this.#lobby.nextDeadline();
    if (due === null || due > Math.max(this.deps.scheduler.now(), this.#now)) {
      this.#schedule();
      return;
    }
    await this.#appendAndApply((now) => ({ now, tick: true }));
  }

  /** One timer, on the lobby's earliest deadline, only while leading. */
  #schedule(): void {
    const at = this.#role === 'leading' ? this.#lobby.nextDeadline() : null;
    if (at === this.#timerAt) return;
    this.#cancelTimer();
    if (at === null) return;
    this.#timerAt = at;
    this.#timer = this.deps.scheduler.after(at - this.deps.scheduler.now(), () => {
      this.#timer = null;
      this.#timerAt = null;
      this.#serial(() => this.#tick()).catch((error: unknown) => {
        if (!(error instanceof NotLeaderError || error instanceof StaleEpochError))
          this.safeEmit('error', error);
      });
    });
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = null;
    this.#timerAt = null;
  }

  #maybeSnapshot(): void {
    const { codec } = this.deps;
    if (codec === undefined || this.#position % this.#snapshotEvery !== 0 || this.#savingSnapshot) return;
    // Captured now, at exactly this position; written in the background (commands need not wait).
    let snapshot: LogSnapshot;
    try {
      snapshot = { position: this.#position, now: this.#now, state: codec.save(this.#lobby) };
    } catch (error) {
      this.safeEmit('error', error);
      return;
    }
    this.#savingSnapshot = true;
    this.deps.log
      .saveSnapshot(snapshot)
      .catch((error: unknown) => this.safeEmit('error', error))
      .finally(() => (this.#savingSnapshot = false));
  }

  // ───────────────────────────── following ─────────────────────────────

  #startFollowing(): void {
    if (this.#role === 'closed' || this.#leadership !== null) return;
    this.#setRole('following');
    const generation = ++this.#generation;
    const abort = new AbortController();
    this.#abort = abort;
    void this.#follow(generation, abort.signal);
  }

  #stopFollowing(): void {
    this.#generation += 1;
    this.#abort?.abort();
    this.#abort = null;
  }

  async #follow(generation: number, signal: AbortSignal): Promise<void> {
    const blockMs = this.deps.followBlockMs ?? 1000;
    while (this.#generation === generation) {
      try {
        const records = await this.deps.log.read(this.#position, { blockMs, signal });
        if (this.#generation !== generation) return;
        this.#applyAll(records);
      } catch (error) {
        if (this.#generation !== generation) return;
        const current = (): boolean => this.#generation === generation;
        if (error instanceof LogTrimmedError && (await this.#restoreLatest(current))) continue;
        this.safeEmit('error', error);
        await this.#sleep(this.deps.retryMs ?? 500, signal);
      }
    }
  }

  /**
   * Reads and applies until this node has every entry up to `until` (default: the log's end), e.g.
   * a new leader before it leads. Retries until done or no longer `wanted`. 'lost': the log ends
   * before this node's position, so the store lost entries (see #reseed).
   */
  async #catchUp(wanted: () => boolean, until?: number): Promise<'done' | 'lost'> {
    while (wanted()) {
      try {
        const end = until ?? (await this.deps.log.lastPosition());
        if (this.#position > end && until === undefined) return 'lost';
        if (this.#position >= end) return 'done';
        const count = Math.min(100, end - this.#position);
        this.#applyAll(await this.deps.log.read(this.#position, { count }));
      } catch (error) {
        if (error instanceof LogTrimmedError && (await this.#restoreLatest(wanted))) continue;
        this.safeEmit('error', error);
        await this.#sleep(this.deps.retryMs ?? 500);
      }
    }
    return 'done';
  }

  #applyAll(records: LogRecord[]): void {
    for (const record of records) {
      try {
        this.#apply(record, false);
      } catch (error) {
        if (error instanceof LogTrimmedError) throw error; // a gap: the caller restores a snapshot
        // The lobby threw on this entry: it did on the leader too (same input, same code). Go on.
        this.safeEmit('error', error);
      }
    }
  }

  /** After a trim: the latest snapshot, if it is ahead of this node (and the reader still reads). */
  async #restoreLatest(stillWanted: () => boolean): Promise<boolean> {
    if (this.deps.codec === undefined) return false;
    const snapshot = await this.deps.log.latestSnapshot();
    if (!stillWanted()) return true; // a newer reader took over; this one stops anyway
    if (snapshot === null || snapshot.position <= this.#position) return false;
    this.#restore(snapshot);
    return true;
  }

  #restore(snapshot: LogSnapshot): void {
    if (this.deps.codec === undefined) return;
    this.#now = snapshot.now;
    this.#lobby = this.deps.codec.restore(snapshot.state, this.#clock);
    this.#position = snapshot.position;
  }

  // ───────────────────────────── applying ─────────────────────────────

  /** Applies the next entry with its `now`. An entry already applied is skipped; a gap throws. */
  #apply(record: LogRecord, appendedHere: boolean): AppliedEntry {
    if (record.position <= this.#position && !appendedHere) {
      return { ...record, result: { ok: true, value: undefined, events: [] }, events: [], appendedHere };
    }
    if (record.position !== this.#position + 1) {
      throw new LogTrimmedError(this.#position, record.position - 1);
    }
    const { entry } = record;
    this.#maxEpoch = Math.max(this.#maxEpoch, record.epoch);
    this.#now = entry.now;
    this.#position = record.position; // consumed even if the lobby throws: every node throws alike
    const result = applyEntry(this.#lobby, entry);
    const applied: AppliedEntry = { ...record, result, events: result.ok ? result.events : [], appendedHere };
    this.safeEmit('applied', applied);
    if (this.#role === 'leading') {
      this.#schedule();
      if (appendedHere) this.#maybeSnapshot();
    }
    return applied;
  }

  // ───────────────────────────── plumbing ─────────────────────────────

  /** Runs tasks one after another: entries are appended and applied in one order. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#chain.then(task);
    this.#chain = result.catch(() => {});
    return result;
  }

  #setRole(role: ReplicaRole): void {
    if (this.#role === role) return;
    this.#role = role;
    this.safeEmit('role', role);
  }

  #sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.deps.scheduler.after(ms, done);
      function done(): void {
        timer.cancel();
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
