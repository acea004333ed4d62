// Caller classes and the callers in them: the class map, the list and the by-prefix index, the text
// class, arrival order, joining and leaving a line, and the per-language counts for the snapshot.
// Callers who need the same people form a class (see README.md, "Matching rules").
import { languagePrefixes } from './languages';
import { OrderedIndex } from './ordered';
import type { CallerClass, CallerRec } from './records';
import type { CallMode, LanguageCounts, LanguageTag, Priority } from './types';

// Ordering key: every 'head' caller sorts before every 'normal' one, then arrival order.
const NORMAL_BAND = 2 ** 45;
export const keyFor = (priority: Priority, seq: number): number =>
  (priority === 'head' ? 0 : NORMAL_BAND) + seq;

/** Past this many caller classes, empty ones are pruned before a new one is created. */
const MAX_IDLE_CLASSES = 128;

/** Told when the set of classes changes, so the parts that index classes stay in step. */
export interface ClassWatcher {
  added(cls: CallerClass): void;
  dropped(classes: ReadonlySet<CallerClass>): void;
}

export class CallerClasses {
  /** The class any agent serves; never pruned. */
  readonly text: CallerClass;
  private readonly byId = new Map<string, CallerRec>();
  private readonly byKey = new Map<string, CallerClass>();
  private readonly all: CallerClass[] = [];
  private readonly byPrefix = new Map<LanguageTag, CallerClass[]>();
  private readonly counts = new Map<LanguageTag, LanguageCounts>();
  private arrivals = 0;

  constructor(private readonly watcher: ClassWatcher) {
    // Nobody needs telling: the text class is never bridged and the competition graph is built lazily.
    this.text = this.create('text', null);
  }

  /** Everyone in line, including those being offered, by caller id. */
  get callers(): ReadonlyMap<string, CallerRec> {
    return this.byId;
  }

  /** Every class, in creation order; the same array for the lobby's lifetime (pruning edits it in place). */
  get list(): readonly CallerClass[] {
    return this.all;
  }

  /** Arrival order of a new caller. */
  nextArrival(): number {
    return ++this.arrivals;
  }

  /** Whether this record (not just this id) is still in line. */
  isWaiting(caller: CallerRec): boolean {
    return this.byId.get(caller.id) === caller;
  }

  classFor(mode: CallMode, language: LanguageTag | null): CallerClass {
    const key = mode === 'text' || language === null ? 'text' : `video:${language}`;
    const existing = this.byKey.get(key);
    if (existing !== undefined) return existing;
    if (this.all.length >= MAX_IDLE_CLASSES) this.pruneEmpty();
    const cls = this.create(key, language);
    this.watcher.added(cls);
    return cls;
  }

  /** The video class of a language, if it exists. */
  videoClass(language: LanguageTag): CallerClass | undefined {
    return this.byKey.get(`video:${language}`);
  }

  /** Video classes an agent or volunteer declaring `tag` serves. */
  servedBy(tag: LanguageTag): readonly CallerClass[] {
    return this.byPrefix.get(tag) ?? [];
  }

  /** Joins the caller's class line, ready to be offered. */
  add(caller: CallerRec): void {
    caller.cls.line.insert(caller.key, caller);
    caller.cls.ready.insert(caller.key, caller);
    this.byId.set(caller.id, caller);
    this.count(caller, 1);
  }

  remove(caller: CallerRec): void {
    caller.cls.line.delete(caller.key);
    caller.cls.ready.delete(caller.key);
    this.byId.delete(caller.id);
    this.count(caller, -1);
  }

  /** After an offer ended without a match: ready again, if still in line. */
  makeReady(caller: CallerRec): boolean {
    if (!this.isWaiting(caller)) return false;
    caller.cls.ready.insert(caller.key, caller);
    return true;
  }

  chooseCallback(caller: CallerRec): void {
    this.count(caller, -1);
    caller.callback = true;
    this.count(caller, 1);
  }

  /** Callers in line by language (only languages someone is waiting for). */
  countsByLanguage(): Record<LanguageTag, LanguageCounts> {
    const out: Record<LanguageTag, LanguageCounts> = {};
    for (const [lang, counts] of this.counts) if (counts.waiting > 0) out[lang] = { ...counts };
    return out;
  }

  /** Languages of the classes a volunteer could bridge right now, sorted. */
  bridgeableLanguages(): LanguageTag[] {
    return this.all
      .filter((c) => c.language !== null && c.bridgeCapable)
      .map((c) => c.language as LanguageTag)
      .sort();
  }

  /** Snapshot: the classes in creation order, the languages in first-seen order, the arrival counter. */
  exportState(): {
    arrivals: number;
    classes: Array<{ key: string; hadCapacity: boolean }>;
    languages: LanguageTag[];
  } {
    return {
      arrivals: this.arrivals,
      classes: this.all.map((c) => ({ key: c.key, hadCapacity: c.hadCapacity })),
      languages: [...this.counts.keys()],
    };
  }

  /**
   * Restore, on a fresh instance and before any caller is added: the classes again in their order
   * (the text class exists already) and the counts in their language order. Nobody is told: the
   * parts that index classes are rebuilt afterwards.
   */
  restoreState(state: {
    arrivals: number;
    classes: ReadonlyArray<{ key: string; hadCapacity: boolean }>;
    languages: readonly LanguageTag[];
  }): void {
    for (const { key, hadCapacity } of state.classes) {
      const cls = this.byKey.get(key) ?? this.create(key, key === 'text' ? null : key.slice('video:'.length));
      cls.hadCapacity = hadCapacity;
    }
    for (const lang of state.languages) this.counts.set(lang, { waiting: 0, text: 0, callback: 0 });
    this.arrivals = state.arrivals;
  }

  /**
   * A class record outside the list, for a caller in a call whose class was pruned meanwhile: only
   * its key is read until a requeue finds (or makes) the live class.
   */
  detachedClass(mode: CallMode, language: LanguageTag): CallerClass {
    return mode === 'text' ? this.text : this.makeClass(`video:${language}`, language);
  }

  private create(key: string, language: LanguageTag | null): CallerClass {
    const cls = this.makeClass(key, language);
    this.byKey.set(key, cls);
    this.all.push(cls);
    for (const p of cls.prefixes) {
      const list = this.byPrefix.get(p);
      if (list === undefined) this.byPrefix.set(p, [cls]);
      else list.push(cls);
    }
    return cls;
  }

  private makeClass(key: string, language: LanguageTag | null): CallerClass {
    return {
      key,
      mode: key === 'text' ? 'text' : 'video',
      language: key === 'text' ? null : language,
      prefixes: key === 'text' || language === null ? [] : languagePrefixes(language),
      line: new OrderedIndex<CallerRec>(),
      ready: new OrderedIndex<CallerRec>(),
      bridgeReady: false,
      bridgeCapable: false,
      hadCapacity: false,
      competitors: [],
      directSigs: [],
      bridgeSigs: [],
      regionSigs: [],
    };
  }

  /**
   * Drops video classes nobody is waiting in, so a stream of distinct (valid) tags cannot grow the
   * competition graph, which is rebuilt in O(classes²). A class is recreated when someone needs it.
   */
  private pruneEmpty(): void {
    const keep = this.all.filter((c) => c.language === null || c.line.size > 0);
    if (keep.length === this.all.length) return;
    const dropped = new Set(this.all.filter((c) => !keep.includes(c)));
    this.all.length = 0;
    this.all.push(...keep);
    for (const cls of dropped) this.byKey.delete(cls.key);
    for (const [prefix, list] of this.byPrefix) {
      const left = list.filter((c) => !dropped.has(c));
      if (left.length === 0) this.byPrefix.delete(prefix);
      else this.byPrefix.set(prefix, left);
    }
    this.watcher.dropped(dropped);
  }

  private count(caller: CallerRec, delta: 1 | -1): void {
    let counts = this.counts.get(caller.language);
    if (counts === undefined) {
      counts = { waiting: 0, text: 0, callback: 0 };
      this.counts.set(caller.language, counts);
    }
    counts.waiting += delta;
    if (caller.mode === 'text') counts.text += delta;
    if (caller.callback) counts.callback += delta;
  }
}
