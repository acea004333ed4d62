// What the chaos run prints, and which promises a result breaks (the script's exit code and the
// test's assertions come from the same list).
import { MEDIA_CAP_MS, MEDIA_PROMISE_MS, type ActionResult } from './Chaos';

/** Each promise the result breaks, in words; empty when it kept them all. */
export function brokenPromises(r: ActionResult): string[] {
  const broken: string[] = [];
  if (r.waitingKept < r.waitingTotal)
    broken.push(`${r.waitingTotal - r.waitingKept} of ${r.waitingTotal} waiting callers lost their place`);
  if (r.callsKept < r.callsTotal)
    broken.push(
      `${r.callsTotal - r.callsKept} of ${r.callsTotal} calls dropped (video not back within ${MEDIA_CAP_MS / 1000} s)`,
    );
  if (r.mediaBackMs !== null && r.mediaBackMs > MEDIA_PROMISE_MS)
    broken.push(`video back only after ${r.mediaBackMs} ms (promise: ${MEDIA_PROMISE_MS} ms)`);
  if (r.recordsLost > 0) broken.push(`${r.recordsLost} records lost or left wrong`);
  if (r.duplicates > 0) broken.push(`${r.duplicates} records written twice`);
  return broken;
}

const media = (r: ActionResult) => (r.mediaBackMs === null ? 'dropped' : `${r.mediaBackMs} ms`);

/** The one line printed after an action. */
export function resultLine(r: ActionResult): string {
  const broken = brokenPromises(r);
  return (
    `[chaos] ${r.did}: media back ${media(r)}, waiting kept ${r.waitingKept}/${r.waitingTotal}, ` +
    `calls kept ${r.callsKept}/${r.callsTotal}, records lost ${r.recordsLost}, duplicates ${r.duplicates} ` +
    `(${(r.elapsedMs / 1000).toFixed(1)} s) — ${broken.length === 0 ? 'ok' : `BROKEN: ${broken.join('; ')}`}` +
    `\n[chaos]   ${r.detail}`
  );
}

/** A table of every result, then the verdict. */
export function resultTable(results: ActionResult[], elapsedMs: number): string {
  const rows = [
    ['action', 'media back', 'waiting kept', 'calls kept', 'records lost', 'duplicates', 'verdict'],
    ...results.map((r) => [
      r.action,
      media(r),
      `${r.waitingKept}/${r.waitingTotal}`,
      `${r.callsKept}/${r.callsTotal}`,
      String(r.recordsLost),
      String(r.duplicates),
      brokenPromises(r).length === 0 ? 'ok' : 'BROKEN',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const broken = results.filter((r) => brokenPromises(r).length > 0).map((r) => r.action);
  const verdict =
    broken.length === 0
      ? `every promise kept (${results.length} steps, ${(elapsedMs / 1000).toFixed(0)} s)`
      : `promises broken by: ${broken.join(', ')} (${(elapsedMs / 1000).toFixed(0)} s)`;
  return [...lines, '', `[chaos] verdict: ${verdict}`].join('\n');
}
