// Place in line and the shown estimate, for one caller (a query) or for whole classes (the refresh that
// produces queue-position events). Definition and method: README.md.
import { estimateWait, roundEstimate } from './estimate';
import type { Occupancy, PatienceCurve } from './estimate';
import type { CallerClass, CallerRec } from './records';
import type { CallerView } from './types';

/** What the estimate needs about a caller's class, computed once per class per refresh. */
export interface ClassInputs {
  regionStaff: number;
  classStaff: number;
  classSpare: number;
  region: Occupancy;
  own: Occupancy;
  regionHazard: number;
  ownHazard: number;
  patience: PatienceCurve | null;
}

function view(caller: CallerRec, position: number, classRank: number, inputs: ClassInputs, stepMs: number) {
  // Being offered: the wait is over unless the agent does not answer.
  const raw = caller.offer !== null ? 0 : estimateWait({ position, classRank, ...inputs });
  return { position, estimatedWaitMs: roundEstimate(raw, stepMs) };
}

/** One caller: a rank in each competing class's tree, O(competitors · log n). */
export function viewOf(caller: CallerRec, inputs: ClassInputs, stepMs: number): CallerView {
  const cls = caller.cls;
  let ahead = 0;
  for (const other of cls.competitors) ahead += other.line.rank(caller.key);
  return view(caller, ahead + 1, cls.line.rank(caller.key) + 1, inputs, stepMs);
}

/**
 * Every caller of the target classes, with one merged walk over each class and its competitors
 * (O(total size)); `changed` is called only where the position or the rounded estimate moved since
 * the value last shown to the caller.
 */
export function refreshClasses(
  targets: readonly CallerClass[],
  inputsFor: (cls: CallerClass) => ClassInputs,
  stepMs: number,
  changed: (caller: CallerRec, v: CallerView) => void,
): void {
  const keyCache = new Map<CallerClass, number[]>();
  const keysOf = (cls: CallerClass): number[] => {
    let keys = keyCache.get(cls);
    if (keys === undefined) {
      keys = cls.line.keys();
      keyCache.set(cls, keys);
    }
    return keys;
  };
  for (const cls of targets) {
    if (cls.line.size === 0) continue;
    const others = cls.competitors.filter((o) => o !== cls && o.line.size > 0).map(keysOf);
    const cursor = others.map(() => 0);
    const inputs = inputsFor(cls);
    let classRank = 0;
    for (const caller of cls.line.values()) {
      classRank++;
      let ahead = classRank - 1;
      for (let j = 0; j < others.length; j++) {
        const keys = others[j] as number[];
        let i = cursor[j] as number;
        while (i < keys.length && (keys[i] as number) < caller.key) i++;
        cursor[j] = i;
        ahead += i;
      }
      const v = view(caller, ahead + 1, classRank, inputs, stepMs);
      if (v.position !== caller.shownPosition || v.estimatedWaitMs !== caller.shownEstimate)
        changed(caller, v);
    }
  }
}
