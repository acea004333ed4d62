// When places in line must be recomputed: the competition graph's versions, the classes whose callers
// may have moved, and the batching of queue-position events (at the end of each call, or at most once
// per `positionUpdateIntervalMs` through a deadline). The computation itself is in positions.ts.
import type { AgentRoster } from './agents';
import type { CallerClasses } from './classes';
import { rebuildCompetition } from './competition';
import { refreshClasses, viewOf } from './positions';
import type { ClassInputs } from './positions';
import type { CallerClass, CallerRec } from './records';
import type { SnapshotPositions } from './snapshot';
import type { Transaction } from './transaction';
import type { CallerView } from './types';

export interface TrackerContext {
  /** 0: refresh at the end of every call that changed something; > 0: batch through a deadline. */
  readonly intervalMs: number;
  readonly estimateStepMs: number;
  inputsFor(cls: CallerClass): ClassInputs;
  /** Puts a 'positions' deadline at `at`; it is live while `isDue(token)`. */
  schedule(at: number, token: number): void;
}

export class PositionTracker {
  /** Bumped when classes appear or go, or bridging becomes possible or impossible for a language. */
  private graphVersion = 0;
  private builtGraphVersion = -1;
  private builtAgentVersion = -1;
  private readonly dirty = new Set<CallerClass>();
  private allDirty = false;
  private token = 0;
  private scheduled = false;
  private lastRefreshAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly classes: CallerClasses,
    private readonly agents: AgentRoster,
    private readonly tx: Transaction,
    private readonly ctx: TrackerContext,
  ) {}

  /** The competition graph must be rebuilt before it is next read. */
  graphChanged(): void {
    this.graphVersion++;
  }

  markDirty(cls: CallerClass): void {
    this.dirty.add(cls);
  }

  /** Every estimate may have moved (staff, averages or the graph changed). */
  markAllDirty(): void {
    this.allDirty = true;
  }

  /** A pruned class is not refreshed. */
  forget(cls: CallerClass): void {
    this.dirty.delete(cls);
  }

  ensureGraph(): void {
    if (
      this.builtGraphVersion === this.graphVersion &&
      this.builtAgentVersion === this.agents.structureVersion
    )
      return;
    rebuildCompetition(this.classes.list, this.agents.sigList());
    this.builtGraphVersion = this.graphVersion;
    this.builtAgentVersion = this.agents.structureVersion;
    this.allDirty = true;
  }

  /** Snapshot: what is pending (the graph is rebuilt, but whether a rebuild is due shapes the next refresh). */
  exportState(): SnapshotPositions {
    return {
      graphStale:
        this.builtGraphVersion !== this.graphVersion ||
        this.builtAgentVersion !== this.agents.structureVersion,
      allDirty: this.allDirty,
      dirty: [...this.dirty].map((c) => c.key),
      token: this.token,
      scheduled: this.scheduled,
      lastRefreshAt: Number.isFinite(this.lastRefreshAt) ? this.lastRefreshAt : null,
    };
  }

  /** Restore, once classes, agents and bridging are in place: the graph as fresh or as stale as it was. */
  restoreState(state: SnapshotPositions, dirty: readonly CallerClass[]): void {
    if (state.graphStale) {
      this.builtGraphVersion = -1;
    } else {
      this.ensureGraph();
    }
    this.allDirty = state.allDirty; // after ensureGraph, which marks everything dirty
    this.dirty.clear();
    for (const cls of dirty) this.dirty.add(cls);
    this.token = state.token;
    this.scheduled = state.scheduled;
    this.lastRefreshAt = state.lastRefreshAt ?? Number.NEGATIVE_INFINITY;
  }

  /** Someone joined or left a class's line: everyone competing with that class may move. */
  lineChanged(cls: CallerClass): void {
    if (this.allDirty) return;
    this.ensureGraph();
    if (this.allDirty) return;
    for (const c of cls.competitors) this.dirty.add(c);
  }

  /** Current place in line and rounded estimate of one caller. */
  view(caller: CallerRec): CallerView {
    this.ensureGraph();
    return viewOf(caller, this.ctx.inputsFor(caller.cls), this.ctx.estimateStepMs);
  }

  /** End of a call: refresh now, or make sure a batched refresh is scheduled. */
  finish(): void {
    if (!this.allDirty && this.dirty.size === 0) return;
    const interval = this.ctx.intervalMs;
    if (interval === 0) {
      this.refresh();
    } else if (!this.scheduled) {
      this.scheduled = true;
      this.ctx.schedule(Math.max(this.tx.now, this.lastRefreshAt + interval), ++this.token);
    }
  }

  /** Whether a scheduled 'positions' deadline is still the current one. */
  isDue(token: number): boolean {
    return this.scheduled && token === this.token;
  }

  /** The scheduled deadline fired. */
  fire(): void {
    this.scheduled = false;
    this.refresh();
  }

  /** Emits queue-position for every caller of the dirty classes whose shown values moved. */
  refresh(): void {
    this.ensureGraph();
    const targets = this.allDirty ? this.classes.list : [...this.dirty];
    this.allDirty = false;
    this.dirty.clear();
    this.lastRefreshAt = this.tx.now;
    refreshClasses(
      targets,
      (cls) => this.ctx.inputsFor(cls),
      this.ctx.estimateStepMs,
      (caller, v) => {
        caller.shownPosition = v.position;
        caller.shownEstimate = v.estimatedWaitMs;
        this.tx.emit({ type: 'queue-position', callerId: caller.id, ...v });
      },
    );
  }
}
