// The wait estimate's honesty over many independent days: a rare language has 8–15 measured calls in
// a day, so one day's mean is decided by its one or two longest waits. Over N days (seeds seed …
// seed + N − 1) this counts the days each estimator passes and pools every measured call.
import type { SimulationResult } from './engine';
import { estimateAccuracy } from './estimateAccuracy';
import type { AccuracyRow } from './estimateAccuracy';

export interface DayPair {
  after: SimulationResult;
  before: SimulationResult;
}

export interface DaysRow {
  language: string;
  /** Days on which the language had enough calls to be held to the criterion. */
  heldDays: number;
  passedBefore: number;
  passedAfter: number;
  /** Every measured call of the N days, each estimator. */
  pooledBefore: AccuracyRow;
  pooledAfter: AccuracyRow;
}

export function estimateOverDays(days: readonly DayPair[]): DaysRow[] {
  const counts = new Map<string, { held: number; before: number; after: number }>();
  for (const { after, before } of days) {
    const beforeRows = new Map(estimateAccuracy(before.calls).rows.map((r) => [r.language, r]));
    for (const r of estimateAccuracy(after.calls).rows) {
      if (r.pass === null) continue;
      const c = counts.get(r.language) ?? { held: 0, before: 0, after: 0 };
      c.held++;
      if (r.pass) c.after++;
      if (beforeRows.get(r.language)?.pass === true) c.before++;
      counts.set(r.language, c);
    }
  }
  const pooledAfter = estimateAccuracy(days.flatMap((d) => d.after.calls)).rows;
  const pooledBefore = new Map(
    estimateAccuracy(days.flatMap((d) => d.before.calls)).rows.map((r) => [r.language, r]),
  );
  return pooledAfter.map((after) => {
    const c = counts.get(after.language) ?? { held: 0, before: 0, after: 0 };
    return {
      language: after.language,
      heldDays: c.held,
      passedBefore: c.before,
      passedAfter: c.after,
      pooledBefore: pooledBefore.get(after.language) as AccuracyRow,
      pooledAfter: after,
    };
  });
}
