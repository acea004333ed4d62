// The bench's tables, as printed.
import type { BenchResult } from './run';

const KB = 1024;
const MB = 1024 * 1024;

const pad = (v: string, n: number) => v.padStart(n);
const mb = (bytes: number) => (bytes / MB).toFixed(1);
const kbEach = (bytes: number, n: number) => (bytes / n / KB).toFixed(1);

export function formatReport(r: BenchResult, targetKb: number, lagLimitMs: number): string[] {
  const { baseline, connected, queued } = r.memory;
  const n = r.callers;
  const lines: string[] = [];
  lines.push(`server memory (after full GC), ${n} idle callers:`);
  lines.push('stage                           RSS MB   heap MB   ext MB   RSS KB/conn   heap KB/conn');
  const row = (name: string, m: typeof baseline, perConn: boolean) =>
    `${name.padEnd(30)} ${pad(mb(m.rss), 7)}   ${pad(mb(m.heapUsed), 7)}   ${pad(mb(m.external), 6)}   ` +
    (perConn
      ? `${pad(kbEach(m.rss - baseline.rss, n), 11)}   ${pad(kbEach(m.heapUsed - baseline.heapUsed, n), 12)}`
      : `${pad('—', 11)}   ${pad('—', 12)}`);
  lines.push(row('baseline (app started)', baseline, false));
  lines.push(row('connected (socket only)', connected, true));
  lines.push(row('queued (socket + place in line)', queued, true));
  const perConn = (queued.rss - baseline.rss) / n / KB;
  lines.push(
    `memory per queued caller: ${perConn.toFixed(1)} KB RSS (target < ${targetKb} KB): ` +
      (perConn < targetKb ? 'met' : 'MISSED'),
  );
  lines.push(
    `callers answered with a place in line: ${r.queuedWithPosition}/${n}; ` +
      `"nobody can take you now" notices (no agent online; once each): ${r.fallbacks}`,
  );
  lines.push('');
  lines.push(
    `line churn (head leaves and calls again, everyone behind moves up), ${n} waiting; ` +
      'lag = event-loop delay beyond its 10 ms timer, in the server process:',
  );
  lines.push(
    'target/s  churn/s  refused  updates/s  due/s     late    lag p50  lag p99  lag max  server CPU  client CPU  client lag p99  load1',
  );
  for (const s of r.steps) {
    lines.push(
      [
        pad(String(s.targetRate), 8),
        pad(s.churnRate.toFixed(1), 7),
        pad(String(s.refused), 7),
        pad(Math.round(s.updatesPerSecond).toString(), 9),
        pad(Math.round(s.expectedPerSecond).toString(), 8),
        pad(`${(s.lateShare * 100).toFixed(0)}%`, 6),
        pad(s.server.lagP50Ms.toFixed(1), 8),
        pad(s.server.lagP99Ms.toFixed(1), 7),
        pad(s.server.lagMaxMs.toFixed(1), 7),
        pad(`${s.server.cpuPercent.toFixed(0)}%`, 10),
        pad(`${s.clientCpuPercent.toFixed(0)}%`, 10),
        pad(s.clientLagP99Ms.toFixed(1), 14),
        pad(s.load1.toFixed(2), 6),
      ].join('  '),
    );
  }
  lines.push(
    'due/s: one update per caller moved; fewer arrive when a caller moves again before the last went out ' +
      '(only the newest place is sent). late: of those due, the share that arrived after the step.',
  );
  lines.push(
    `sustained: ${Math.round(r.sustainedUpdatesPerSecond)} position updates/s with lag p99 ≤ ${lagLimitMs} ms; ` +
      `positions heard consistent (1..n): ${r.positionsConsistent ? 'yes' : 'NO'}; ` +
      `callers updated: ${r.callersUpdated}/${n}`,
  );
  return lines;
}
