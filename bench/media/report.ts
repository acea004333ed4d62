// The bench's tables as text.
import { bitrateOf, type Clip } from '../load/clip';
import type { BadRow, CallFigures, KRow, MediaBenchResult, TargetFigures } from './bench';
import { BAD_MODE_MEANING } from './misbehaving';

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const n = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const pct = (x: number, digits = 2) => `${n(x * 100, digits)}%`;

function targetCells(f: TargetFigures): string[] {
  return [
    String(f.k),
    f.target,
    n(f.nodeCpu),
    n(f.workersCpu),
    `${f.streams}/${f.expectedStreams}`,
    n(f.workersCpuPerStream, 2),
    pct(f.nodeShare, 1),
    n(f.rssPerCallMiB, 2),
    pct(f.loss),
    `${n(f.jitterAudioMs)}/${n(f.jitterVideoMs)}`,
    n(f.jitterMaxMs),
    n(f.clientCpu),
    n(f.loadAverage),
    n(f.udpDrops, 0),
  ];
}

function ratioCells(r: KRow): string[] {
  const ratio = (a: number, b: number) => (b > 0 ? `${n(a / b, 2)}×` : 'n/a');
  return [
    String(r.k),
    'product/bare',
    ratio(r.product.nodeCpu, r.bare.nodeCpu),
    ratio(r.product.workersCpu, r.bare.workersCpu),
    '',
    ratio(r.product.workersCpuPerStream, r.bare.workersCpuPerStream),
    '',
    ratio(r.product.rssPerCallMiB, r.bare.rssPerCallMiB),
    ratio(r.product.loss, r.bare.loss),
    ratio(r.product.jitterVideoMs, r.bare.jitterVideoMs),
    '',
    '',
    '',
    '',
  ];
}

export function kTable(rows: KRow[]): string {
  return table(
    [
      'K',
      'server',
      'node cpu%',
      'workers cpu%',
      'fwd streams',
      'worker cpu%/stream',
      'node/workers',
      'MiB/call',
      'rx loss',
      'jitter ms a/v',
      'jitter max',
      'client cpu%',
      'load avg',
      'udp rcvbuf drops',
    ],
    rows.flatMap((r) => [targetCells(r.product), targetCells(r.bare), ratioCells(r)]),
  );
}

function callCells(f: CallFigures): string[] {
  return [pct(f.loss), `${n(f.jitterAudioMs)}/${n(f.jitterVideoMs)}`, n(f.jitterMaxMs)];
}

export function badTable(rows: BadRow[]): string {
  return table(
    [
      'misbehaving client',
      'K',
      'loss before',
      'jitter a/v before',
      'max',
      'loss during',
      'jitter a/v during',
      'max',
      'node cpu% before→during',
      'sent',
      'cut off after',
    ],
    rows.map((r) => [
      r.mode,
      String(r.k),
      ...callCells(r.before),
      ...callCells(r.during),
      `${n(r.nodeCpuBefore)}→${n(r.nodeCpuDuring)}`,
      String(r.sent),
      r.cutOffMs === null ? '—' : `${n(r.cutOffMs / 1000, 1)} s`,
    ]),
  );
}

export function clipLine(clip: Clip): string {
  return (
    `clip: VP8 1280x720@30 ${n(bitrateOf(clip.video) / 1000, 0)} kbit/s, ` +
    `Opus ${n(bitrateOf(clip.audio) / 1000, 0)} kbit/s (with RTP headers), looped`
  );
}

export function report(r: MediaBenchResult): string {
  const parts = [clipLine(r.clip), '', kTable(r.rows), ''];
  parts.push(r.knee === null ? 'knee: none within the K values run' : `knee: K=${r.knee} (${r.kneeReason})`);
  const last = r.rows.at(-1);
  if (last) {
    const perStream = last.product.workersCpuPerStream / last.bare.workersCpuPerStream;
    parts.push(
      `targets at K=${last.k}: worker CPU per forwarded stream product/bare ${n(perStream, 2)}× (target ≤ 1.05×), ` +
        `node process share ${pct(last.product.nodeShare, 1)} of workers' (target < 10%)`,
    );
  }
  if (r.bad.length > 0) {
    parts.push('', 'the measured calls while one client misbehaves (product):', badTable(r.bad));
    for (const b of r.bad) parts.push(`  ${b.mode}: ${BAD_MODE_MEANING[b.mode]}`);
  }
  return parts.join('\n');
}
