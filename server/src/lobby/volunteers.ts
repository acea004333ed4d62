// Volunteers: records, ring pools and per-language counts, kept in step by one `change` entry point.
//
// "Available" for a volunteer means online AND within their weekly hours. Three derived flags:
//   ringable — available and within hours: may be invited now (sits in the per-tag ring pools);
//   free     — ringable or already invited: not in a call, so can take a bridged call that starts now;
//   capable  — free or in a call: bridging this language is possible at all (estimates, fallback).
import { OrderedIndex } from './ordered';
import type { VolunteerRec } from './records';
import type { SnapshotVolunteer } from './snapshot';
import type { LanguageTag, VolunteerPresence } from './types';

const isRingable = (v: VolunteerRec): boolean => v.inHours && v.presence === 'available';
const isFree = (v: VolunteerRec): boolean =>
  v.inHours && (v.presence === 'available' || v.presence === 'invited');
const isCapable = (v: VolunteerRec): boolean => isFree(v) || (v.inHours && v.presence === 'in-call');
export const isVolunteerOnline = (v: VolunteerRec): boolean =>
  v.presence !== 'offline' && v.presence !== 'away';

export interface VolunteerChange {
  becameRingable: boolean;
  /** Tags whose free or capable counts moved; the lobby re-checks bridging for languages under them. */
  affectedTags: LanguageTag[];
}

export class VolunteerRoster {
  readonly byId = new Map<string, VolunteerRec>();
  readonly presenceCounts: Record<VolunteerPresence, number> = {
    offline: 0,
    available: 0,
    invited: 0,
    'in-call': 0,
    away: 0,
  };
  /** Online and within hours. */
  onlineInHours = 0;
  private readonly pools = new Map<LanguageTag, OrderedIndex<VolunteerRec>>();
  private readonly free = new Map<LanguageTag, number>();
  private readonly capable = new Map<LanguageTag, number>();
  private idleCounter = 0;

  create(
    rec: Omit<VolunteerRec, 'presence' | 'inHours' | 'idleSeq' | 'invitation' | 'match' | 'hoursToken'>,
  ) {
    const v: VolunteerRec = {
      ...rec,
      presence: 'offline',
      inHours: false,
      idleSeq: 0,
      invitation: null,
      match: null,
      hoursToken: 0,
    };
    this.byId.set(v.id, v);
    this.presenceCounts.offline++;
    return v;
  }

  /**
   * Applies `mutate` and keeps pools and counts in step. A volunteer who becomes ringable goes to the
   * back of the ring order unless `keepIdleOrder` (their invitation was taken by someone else or
   * cancelled: not their doing).
   */
  change(v: VolunteerRec, mutate: () => void, keepIdleOrder = false): VolunteerChange {
    const tagsBefore = v.tags;
    const wasRingable = isRingable(v);
    const wasFree = isFree(v);
    const wasCapable = isCapable(v);
    const wasOnline = isVolunteerOnline(v) && v.inHours;
    const before = v.presence;
    if (wasRingable) this.leavePools(v);
    mutate();
    this.presenceCounts[before]--;
    this.presenceCounts[v.presence]++;
    const nowRingable = isRingable(v);
    const nowFree = isFree(v);
    const nowCapable = isCapable(v);
    const nowOnline = isVolunteerOnline(v) && v.inHours;
    this.onlineInHours += Number(nowOnline) - Number(wasOnline);
    const tagsChanged = tagsBefore !== v.tags;
    const affected = new Set<LanguageTag>();
    if (wasFree !== nowFree || tagsChanged) {
      if (wasFree) this.bump(this.free, tagsBefore, -1, affected);
      if (nowFree) this.bump(this.free, v.tags, 1, affected);
    }
    if (wasCapable !== nowCapable || tagsChanged) {
      if (wasCapable) this.bump(this.capable, tagsBefore, -1, affected);
      if (nowCapable) this.bump(this.capable, v.tags, 1, affected);
    }
    if (nowRingable) {
      if (!wasRingable && !(keepIdleOrder && v.idleSeq > 0)) v.idleSeq = ++this.idleCounter;
      this.joinPools(v);
    }
    return { becameRingable: nowRingable && !wasRingable, affectedTags: [...affected] };
  }

  exportState(): { idleCounter: number } {
    return { idleCounter: this.idleCounter };
  }

  /**
   * Restore, on a fresh roster: each volunteer is created and brought to its state through `change`,
   * which rebuilds the ring pools and the counts. Links to invitations and calls are the caller's.
   */
  restoreState(volunteers: readonly SnapshotVolunteer[], idleCounter: number): void {
    for (const s of volunteers) {
      const v = this.create({
        id: s.id,
        tags: [...s.languages],
        ranges: s.hours.map((r) => ({ start: r.start, end: r.end })),
      });
      // keepIdleOrder: a ringable volunteer keeps the idleSeq they had (validated > 0 and unique).
      this.change(
        v,
        () => {
          v.presence = s.presence;
          v.inHours = s.inHours;
          v.idleSeq = s.idleSeq;
          v.hoursToken = s.hoursToken;
        },
        true,
      );
    }
    this.idleCounter = idleCounter;
  }

  /** Volunteers not in a call who serve a caller language (given its prefixes), within hours. */
  freeFor(prefixes: readonly LanguageTag[]): number {
    let n = 0;
    for (const p of prefixes) n += this.free.get(p) ?? 0;
    return n;
  }

  capableFor(prefixes: readonly LanguageTag[]): number {
    let n = 0;
    for (const p of prefixes) n += this.capable.get(p) ?? 0;
    return n;
  }

  /** Up to `n` ringable volunteers serving the language, longest idle first, skipping `excluded`. */
  pick(prefixes: readonly LanguageTag[], n: number, excluded: ReadonlySet<string>): VolunteerRec[] {
    if (n <= 0) return [];
    const candidates: VolunteerRec[] = [];
    // Each pool's first n + |excluded| entries are enough to find the overall first n usable ones.
    const look = n + excluded.size;
    for (const p of prefixes) {
      const pool = this.pools.get(p);
      if (pool !== undefined) for (const v of pool.first(look)) if (!excluded.has(v.id)) candidates.push(v);
    }
    candidates.sort((a, b) => a.idleSeq - b.idleSeq);
    const out: VolunteerRec[] = [];
    for (const v of candidates) {
      if (out.length === n) break;
      if (!out.includes(v)) out.push(v);
    }
    return out;
  }

  private bump(
    map: Map<LanguageTag, number>,
    tags: readonly LanguageTag[],
    delta: number,
    out: Set<LanguageTag>,
  ) {
    for (const t of tags) {
      map.set(t, (map.get(t) ?? 0) + delta);
      out.add(t);
    }
  }

  private joinPools(v: VolunteerRec): void {
    for (const t of v.tags) {
      let pool = this.pools.get(t);
      if (pool === undefined) {
        pool = new OrderedIndex<VolunteerRec>();
        this.pools.set(t, pool);
      }
      pool.insert(v.idleSeq, v);
    }
  }

  private leavePools(v: VolunteerRec): void {
    for (const t of v.tags) this.pools.get(t)?.delete(v.idleSeq);
  }
}
