// Turns call records into the per-shift and per-language tables printed by `npm run simulate`.
import type { CallRecord, SimulationResult } from './engine';

interface Row {
  group: string;
  calls: number;
  answered: number;
  callbacks: number;
  within20: number;
  within120: number;
  waitSum: number;
  abandoned: number;
  interpreted: number;
  interpreterJoined: number;
  interpreterWaitSum: number;
  estimated: number;
  estimateErrorSum: number;
  estimateBiasSum: number;
}

function emptyRow(group: string): Row {
  return {
    group,
    calls: 0,
    answered: 0,
    callbacks: 0,
    within20: 0,
    within120: 0,
    waitSum: 0,
    abandoned: 0,
    interpreted: 0,
    interpreterJoined: 0,
    interpreterWaitSum: 0,
    estimated: 0,
    estimateErrorSum: 0,
    estimateBiasSum: 0,
  };
}

function add(row: Row, c: CallRecord): void {
  row.calls++;
  if (c.matchedAt !== null) {
    const wait = c.matchedAt - c.arrivedAt;
    if (c.fallback === 'callback') {
      // Called back later by choice: served, but not a live answer.
      row.callbacks++;
    } else {
      row.answered++;
      row.waitSum += wait;
      if (wait <= 20_000) row.within20++;
      if (wait <= 120_000) row.within120++;
      if (c.shownEstimateMs !== null) {
        row.estimated++;
        row.estimateErrorSum += Math.abs(c.shownEstimateMs - wait);
        row.estimateBiasSum += c.shownEstimateMs - wait;
      }
    }
    if (c.interpreted) {
      row.interpreted++;
      if (c.interpreterJoinedAt !== null) {
        row.interpreterJoined++;
        row.interpreterWaitSum += c.interpreterJoinedAt - c.matchedAt;
      }
    }
  } else if (c.leftAt !== null) {
    row.abandoned++;
  }
}

const pct = (n: number, d: number): string => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)}%`);
const secs = (ms: number, d: number): string => (d === 0 ? '—' : `${Math.round(ms / d / 1000)} s`);
const signedSecs = (ms: number, d: number): string => {
  if (d === 0) return '—';
  const s = Math.round(ms / d / 1000);
  return `${s > 0 ? '+' : ''}${s} s`;
};

const HEADERS = [
  '',
  'calls',
  'answered',
  'callback',
  'SL 20 s',
  'SL 120 s',
  'ASA',
  'abandoned',
  'interp.',
  'joined',
  'interp. wait',
  'est. MAE',
  'est. bias',
];

function cells(r: Row): string[] {
  return [
    r.group,
    String(r.calls),
    pct(r.answered, r.calls),
    pct(r.callbacks, r.calls),
    pct(r.within20, r.calls),
    pct(r.within120, r.calls),
    secs(r.waitSum, r.answered),
    pct(r.abandoned, r.calls),
    String(r.interpreted),
    pct(r.interpreterJoined, r.interpreted),
    secs(r.interpreterWaitSum, r.interpreterJoined),
    secs(r.estimateErrorSum, r.estimated),
    signedSecs(r.estimateBiasSum, r.estimated),
  ];
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cs: string[]) =>
    cs.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function grouped(calls: CallRecord[], key: (c: CallRecord) => string, order: string[]): string {
  const rows = new Map<string, Row>();
  const total = emptyRow('all');
  for (const c of calls) {
    const k = key(c);
    let row = rows.get(k);
    if (row === undefined) {
      row = emptyRow(k);
      rows.set(k, row);
    }
    add(row, c);
    add(total, c);
  }
  const sorted = [...rows.values()].sort((a, b) => {
    const ia = order.indexOf(a.group);
    const ib = order.indexOf(b.group);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? order.length : ia) - (ib === -1 ? order.length : ib);
    return b.calls - a.calls;
  });
  return table(HEADERS, [...sorted, total].map(cells));
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** 'day 2 (Tue)': day 0 is Monday 3 March 2025. */
export function dayLabel(day: number): string {
  return `day ${day + 1} (${WEEKDAYS[(day + 1) % 7] ?? ''})`;
}

export function report(result: SimulationResult): string {
  const { calls, counters } = result;
  const get = (k: string) => counters.get(k) ?? 0;
  const out: string[] = [];
  const what = result.days === 1 ? 'day' : `${result.days} days`;
  out.push(
    `Simulated ${what} at the relay centre — seed ${result.seed}: ${calls.length} calls, ` +
      `${result.lobbyCalls.toLocaleString('en-US')} lobby calls, ${(result.wallMs / 1000).toFixed(1)} s wall time`,
  );
  out.push(
    'answered = connected live; callback = connected later by callback (chosen at fallback); SL = answered live\n' +
      'within 20 s / 120 s as a share of all calls; ASA = mean wait of live answers; interp. wait = match to the\n' +
      'interpreter joining; est. MAE / bias = mean |shown − actual| and mean (shown − actual) over live answers,\n' +
      'with the estimate shown on arrival (callers shown none, because nobody could serve them, are left out).\n',
  );
  if (result.days > 1) {
    out.push('By day (of arrival):');
    const labels = Array.from({ length: result.days }, (_, d) => dayLabel(d));
    out.push(grouped(calls, (c) => dayLabel(c.day), labels));
    out.push('');
  }
  out.push('By shift (of arrival):');
  out.push(
    grouped(
      calls,
      (c) => c.shift,
      result.scenario.shifts.map((s) => s.name),
    ),
  );
  out.push('\nBy language:');
  out.push(grouped(calls, (c) => c.language, []));
  const unresolved = calls.filter((c) => c.matchedAt === null && c.leftAt === null).length;
  const gaveUp = calls.filter((c) => c.interpreterGaveUp).length;
  const giveUpS = result.scenario.behaviour.interpreterGiveUpS;
  const giveUp = giveUpS % 60 === 0 ? `${giveUpS / 60} min` : `${giveUpS} s`;
  out.push('\nLobby activity:');
  out.push(
    table(
      ['', 'count'],
      [
        ['offers made', get('event offer')],
        ['offers expired (missed)', get('event offer-expired')],
        ['offers withdrawn', get('event offer-withdrawn')],
        ['agents set away after missed offers', get('event agent-away')],
        ['volunteer invitations sent', get('event invitation')],
        ['invitations withdrawn (taken/expired/cancelled)', get('event invitation-withdrawn')],
        [
          'late or lost invitation accepts (expired/taken)',
          get('acceptInvitation: expired') + get('acceptInvitation: taken'),
        ],
        [`interpreted calls given up by the agent (${giveUp})`, gaveUp],
        [
          'fallback offered: long wait',
          get('event fallback-available') - countPrefix(counters, 'fallback no-capacity'),
        ],
        ['fallback offered: no capacity', countPrefix(counters, 'fallback no-capacity')],
        ['  … chose text chat', countSuffix(counters, '→ text')],
        ['  … chose callback', countSuffix(counters, '→ callback')],
        ['queue-position events', get('event queue-position')],
        ['callers still waiting at the end', unresolved],
      ].map(([k, v]) => [String(k), String(v)]),
    ),
  );
  return out.join('\n');
}

function countPrefix(counters: Map<string, number>, prefix: string): number {
  let n = 0;
  for (const [k, v] of counters) if (k.startsWith(prefix)) n += v;
  return n;
}

function countSuffix(counters: Map<string, number>, suffix: string): number {
  let n = 0;
  for (const [k, v] of counters) if (k.startsWith('fallback ') && k.endsWith(suffix)) n += v;
  return n;
}
