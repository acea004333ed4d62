import { mb, type FuzzReport } from './fuzzer';

const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
const list = (m: Map<string, number>) =>
  sorted(m)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** The counts per namespace, state and event (each with its answers), the figures and the checks. */
export function formatReport(r: FuzzReport): string {
  const lines: string[] = [];
  for (const [where, events] of [...r.counts].sort()) {
    let total = 0;
    for (const answers of events.values()) for (const n of answers.values()) total += n;
    lines.push(`${where} (${total} messages)`);
    for (const [event, answers] of [...events].sort()) {
      const n = [...answers.values()].reduce((a, b) => a + b, 0);
      const name = event.length > 34 ? `${event.slice(0, 31)}...` : event;
      lines.push(`  ${JSON.stringify(name).padEnd(36)} ${String(n).padStart(6)}  ${list(answers)}`);
    }
  }
  const secs = r.durationMs / 1000;
  const { before, after } = r.memory;
  lines.push(
    '',
    `answers: ${list(r.answers)}`,
    `${r.messages} messages in ${secs.toFixed(1)} s (${Math.round(r.messages / secs)}/s), seed ${r.seed}`,
    `disconnects by the server or transport: ${list(r.disconnects) || 'none'}; sockets restored ${r.reconnects}, worlds built ${r.rebuilds}`,
    `memory (after a forced GC) before → after: RSS ${mb(before.rss)} → ${mb(after.rss)}, heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} (without compiled code ${mb(before.dataHeapUsed)} → ${mb(after.dataHeapUsed)}), media worker RSS ${mb(before.workerRss)} → ${mb(after.workerRss)}`,
  );
  for (const i of r.internal) lines.push(`INTERNAL  ${i.where}  ${i.event}  ${i.payload}`);
  for (const u of r.unanswered) lines.push(`NO ANSWER ${u.where}  ${u.event}  ${u.payload}`);
  lines.push('', 'checks:');
  for (const c of r.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name} (${c.detail})`);
  return lines.join('\n');
}
