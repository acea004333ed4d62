import { describe, type VideoBenchResult, type ConditionFigures } from './run';

const cell = (s: string, w: number) => s.padStart(w);

function row(f: ConditionFigures): string[] {
  return [
    describe(f.condition),
    f.fps.toFixed(1),
    f.minFps.toFixed(1),
    `${f.width}x${f.height}`,
    String(f.freezes),
    f.freezeSeconds.toFixed(1),
    f.recoverSeconds === null ? 'not within the limit' : `${f.recoverSeconds.toFixed(1)} s`,
    `${f.indicator.low ? 'LOW' : 'ok'}: ${f.indicator.text}`,
  ];
}

/** The caller's camera as the agent received it, per uplink condition (target: ≥ 20 fps at 500 kbit/s). */
export function videoTable(r: VideoBenchResult): string {
  const head = [
    'caller uplink',
    'fps',
    'min fps/s',
    'resolution',
    'freezes',
    'frozen s',
    'back after lift',
    "signer's indicator",
  ];
  const rows = [row(r.baseline), ...r.rows.map(row)];
  rows[0]![6] = '—';
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : cell(c, widths[i]!))).join('  ');
  const at500 = r.rows.find((x) => x.condition.kbps === 500 && x.condition.loss === 0);
  return [
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    at500
      ? `at 500 kbit/s: ${at500.fps.toFixed(1)} fps received (target ≥ 20): ${at500.fps >= 20 ? 'met' : 'MISSED'}`
      : '',
  ].join('\n');
}
