import { describe, expect, it } from 'vitest';
import { agentsNeeded } from '../../server/src/staffing/agentsNeeded';
import { staffingReport } from '../../server/src/staffing/report';

const load = { ratePerHour: 95, ahtS: 351 };
const target = { serviceLevel: 0.8, thresholdS: 20 };

/** The agent counts of a section's table rows, and the one marked with the arrow. */
function section(report: string, title: string): { agents: number[]; marked: number[] } {
  const lines = report.split('\n');
  const start = lines.findIndex((line) => line.startsWith(title));
  const rows: string[] = [];
  for (let i = start + 2; i < lines.length && lines[i] !== ''; i++) rows.push(lines[i]!);
  const agents = rows.map((row) => Number(row.replace('→', '').trim().split(/\s+/)[0]));
  return { agents, marked: agents.filter((_, i) => rows[i]!.startsWith('→')) };
}

describe('staffingReport', () => {
  it('shows Erlang C around its answer, two agents either side, the answer marked', () => {
    const report = staffingReport({ load, target });
    const c = agentsNeeded(load, target, 'erlang-c').agents;
    expect(report).toContain(`Erlang C (nobody hangs up): ${c} agents`);
    expect(section(report, 'Erlang C')).toEqual({ agents: [c - 2, c - 1, c, c + 1, c + 2], marked: [c] });
    expect(report).not.toContain('Erlang A');
    expect(report).not.toContain('P(abandon)');
  });

  it('adds Erlang A with P(abandon) when patience is given', () => {
    const report = staffingReport({ load, target, patienceS: 120 });
    const c = agentsNeeded(load, target, { patienceS: 120 }).agents;
    expect(report).toContain(`Erlang A (callers hang up, mean patience 120 s): ${c} agents`);
    expect(section(report, 'Erlang A')).toEqual({ agents: [c - 2, c - 1, c, c + 1, c + 2], marked: [c] });
    expect(report).toContain('P(abandon)');
  });

  it('starts the table at one agent for a small load', () => {
    const report = staffingReport({ load: { ratePerHour: 1, ahtS: 60 }, target });
    expect(section(report, 'Erlang C').agents[0]).toBe(1);
  });
});
