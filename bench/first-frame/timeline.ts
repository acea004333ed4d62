// Where the time goes: the steps each page stamped (client/src/timeline.ts) while a call was set
// up, as ms after the accept, collected over the run and printed as medians per page and step.
import type { Page } from 'playwright-core';
import { percentile } from './figures';

type Entry = { step: string; at: number };

/** Per page label ('agent', 'caller', …), per step: ms after the accept, one sample per call. */
export type Timelines = Map<string, Map<string, number[]>>;

/** Forgets the steps the page stamped before (the previous call, the ring, the sign-in). */
export async function clearTimeline(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.relayTimeline = [];
  });
}

/**
 * Adds one call's steps of each page to `into`, as ms after `acceptedAt`. A step stamped more than
 * once in a call (a request per track) is kept as `step #2`, `step #3`, … in order.
 */
export async function collectTimelines(
  into: Timelines,
  pages: Record<string, Page>,
  acceptedAt: number,
  firstFrames: Record<string, number>,
): Promise<void> {
  for (const [label, page] of Object.entries(pages)) {
    const entries = await page.evaluate(() => window.relayTimeline ?? []);
    const steps = into.get(label) ?? new Map<string, number[]>();
    into.set(label, steps);
    const seen = new Map<string, number>();
    const add = (step: string, at: number) => {
      const n = (seen.get(step) ?? 0) + 1;
      seen.set(step, n);
      const name = n === 1 ? step : `${step} #${n}`;
      steps.set(name, [...(steps.get(name) ?? []), at - acceptedAt]);
    };
    for (const { step, at } of entries as Entry[]) add(step, at);
    if (firstFrames[label] !== undefined) add('first remote frame decoded', firstFrames[label]);
  }
}

/** One block per page: each step's median (and p95) after the accept, in the order they happen. */
export function timelineTable(title: string, timelines: Timelines): string {
  const lines = [title];
  for (const [label, steps] of timelines) {
    lines.push(`  ${label}:${'p50 ms'.padStart(52 - label.length)}${'p95 ms'.padStart(9)}${'n'.padStart(5)}`);
    const rows = [...steps].map(([step, ms]) => ({
      step,
      p50: percentile(ms, 0.5),
      p95: percentile(ms, 0.95),
      n: ms.length,
    }));
    rows.sort((a, b) => a.p50 - b.p50);
    for (const r of rows)
      lines.push(
        `    ${r.step.padEnd(48)}${String(r.p50).padStart(7)}${String(r.p95).padStart(9)}${String(r.n).padStart(5)}`,
      );
  }
  return lines.join('\n');
}
