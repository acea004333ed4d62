// The staffing calculator's printout: the answer under each model and the staffings around it.
import { agentsNeeded, staffingFigures, type QueueModel, type Staffing, type Target } from './agentsNeeded';
import { offeredErlangs, type Load } from './erlangC';

export interface StaffingQuestion {
  load: Load;
  target: Target;
  patienceS?: number;
}

/** Rows either side of the answer, so a planner sees what one agent more or less buys. */
const SPREAD = 2;

export function staffingReport({ load, target, patienceS }: StaffingQuestion): string {
  const a = offeredErlangs(load);
  const percent = formatNumber(target.serviceLevel * 100);
  const lines = [
    `${formatNumber(load.ratePerHour)} calls/h × ${formatNumber(load.ahtS)} s handle time = ` +
      `${a.toFixed(2)} Erlangs; target ${percent} % answered within ${formatNumber(target.thresholdS)} s`,
    '',
    ...modelSection('Erlang C (nobody hangs up)', load, target, 'erlang-c'),
  ];
  if (patienceS !== undefined) {
    lines.push(
      '',
      ...modelSection(
        `Erlang A (callers hang up, mean patience ${formatNumber(patienceS)} s)`,
        load,
        target,
        {
          patienceS,
        },
      ),
    );
  }
  lines.push(
    '',
    `Service level: answered within ${formatNumber(target.thresholdS)} s over all calls offered` +
      (patienceS === undefined ? '.' : '; a caller who hangs up counts as missed.'),
    'ASA: mean wait of the callers answered. Occupancy: share of agents’ time in calls.',
  );
  return `${lines.join('\n')}\n`;
}

function modelSection(title: string, load: Load, target: Target, model: QueueModel): string[] {
  const answer = agentsNeeded(load, target, model);
  const withAbandons = model !== 'erlang-c';
  const header = ['agents', `answered ≤ ${formatNumber(target.thresholdS)} s`, 'ASA', 'P(wait)'];
  if (withAbandons) header.push('P(abandon)');
  header.push('occupancy');

  const rows: string[][] = [];
  const first = Math.max(1, answer.agents - SPREAD);
  for (let agents = first; agents <= answer.agents + SPREAD; agents++) {
    const figures =
      agents === answer.agents ? answer : staffingFigures(load, agents, target.thresholdS, model);
    rows.push(row(figures, withAbandons));
  }
  const marked = rows.map((cells, i) => [first + i === answer.agents ? '→' : '', ...cells]);
  return [`${title}: ${answer.agents} agents`, ...table([['', ...header], ...marked])];
}

function row(figures: Staffing, withAbandons: boolean): string[] {
  const cells = [
    String(figures.agents),
    formatPercent(figures.serviceLevel),
    Number.isFinite(figures.asaS) ? `${figures.asaS.toFixed(1)} s` : '∞',
    formatPercent(figures.pWait),
  ];
  if (withAbandons) cells.push(formatPercent(figures.pAbandon));
  cells.push(formatPercent(figures.occupancy));
  return cells;
}

/** Right-aligned columns, two spaces apart. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((cells) => cells[col]!.length)));
  return rows.map((cells) =>
    cells
      .map((cell, col) => cell.padStart(widths[col]!))
      .join('  ')
      .trimEnd(),
  );
}

function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** 95 stays 95, 9.5 stays 9.5, 0.1 + 0.2 prints as 0.3. */
function formatNumber(x: number): string {
  return String(Number(x.toPrecision(12)));
}
