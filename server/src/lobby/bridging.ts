// Bridging capacity: how many volunteers each caller language already counts on (bridged offers pending
// and bridged calls still waiting for an interpreter), and from that which classes a three-way call
// could start for right now. Keeps each class's `bridgeReady` / `bridgeCapable` flags in step.
import type { CallerClasses } from './classes';
import type { CallerClass } from './records';
import type { PositionTracker } from './tracker';
import type { Transaction } from './transaction';
import type { LanguageTag } from './types';
import type { VolunteerRoster } from './volunteers';

export class BridgeCapacity {
  /** Bridged offers pending + matches waiting for an interpreter, by language: volunteers spoken for. */
  private readonly demand = new Map<LanguageTag, number>();
  private readonly ready = new Set<CallerClass>();

  constructor(
    private readonly volunteers: VolunteerRoster,
    private readonly classes: CallerClasses,
    private readonly tx: Transaction,
    private readonly tracker: PositionTracker,
  ) {}

  /** Classes a bridged call could start for now (bridgeReady), for an idle bridge agent to look at. */
  get readyClasses(): ReadonlySet<CallerClass> {
    return this.ready;
  }

  /** A call starts or stops counting on a volunteer for this language. */
  addDemand(language: LanguageTag, delta: 1 | -1): void {
    this.demand.set(language, (this.demand.get(language) ?? 0) + delta);
    const cls = this.classes.videoClass(language);
    if (cls !== undefined) this.update(cls);
  }

  /** Volunteers declaring these tags changed their free or capable counts. */
  volunteersChanged(tags: readonly LanguageTag[]): void {
    for (const t of tags) for (const cls of this.classes.servedBy(t)) this.update(cls);
  }

  /** Free volunteers for the class's language not yet counted on (for the wait estimate). */
  spare(cls: CallerClass): number {
    if (cls.language === null) return 0;
    return Math.max(0, this.volunteers.freeFor(cls.prefixes) - (this.demand.get(cls.language) ?? 0));
  }

  /**
   * Bridging a language is *ready* while more volunteers for it are free than bridged offers and
   * interpreter-less bridged calls already count on one; *capable* while any is online within hours.
   */
  update(cls: CallerClass): void {
    if (cls.language === null) return;
    const ready = this.volunteers.freeFor(cls.prefixes) > (this.demand.get(cls.language) ?? 0);
    const capable = this.volunteers.capableFor(cls.prefixes) > 0;
    if (ready !== cls.bridgeReady) {
      cls.bridgeReady = ready;
      if (ready) {
        this.ready.add(cls);
        this.tx.bridgeOpenedFor(cls);
      } else {
        this.ready.delete(cls);
      }
    }
    if (capable !== cls.bridgeCapable) {
      cls.bridgeCapable = capable;
      this.tracker.graphChanged();
      this.tracker.markAllDirty();
      this.tx.checkCapacity(cls);
    }
    this.tracker.markDirty(cls);
  }

  /**
   * Restore: demand is exactly the bridged offers pending plus the calls awaiting an interpreter, and
   * each class's flags follow from it and the volunteers' counts. Set quietly: nothing changed.
   */
  rebuild(bridgedOffers: readonly LanguageTag[], awaitingCalls: readonly LanguageTag[]): void {
    this.demand.clear();
    this.ready.clear();
    for (const lang of [...bridgedOffers, ...awaitingCalls])
      this.demand.set(lang, (this.demand.get(lang) ?? 0) + 1);
    for (const cls of this.classes.list) {
      if (cls.language === null) continue;
      cls.bridgeReady = this.volunteers.freeFor(cls.prefixes) > (this.demand.get(cls.language) ?? 0);
      cls.bridgeCapable = this.volunteers.capableFor(cls.prefixes) > 0;
      if (cls.bridgeReady) this.ready.add(cls);
    }
  }

  /** A pruned class is no longer offered to bridge agents. */
  forget(cls: CallerClass): void {
    this.ready.delete(cls);
  }
}
