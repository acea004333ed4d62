// Running a scenario with other staffing, e.g. the agents per shift a staffing formula recommends.
import type { SimulateOptions, SimulationResult } from './engine';
import { simulate } from './engine';
import { loadScenario } from './scenarioFile';
import type { Scenario, ShiftSpec } from './scenarioSchema';

type AgentGroup = ShiftSpec['agents'][number];

/**
 * Per shift name: a head count, or the exact groups. A head count keeps the shift's groups in order and
 * lets the last group (by convention the generalists) take up the difference; below that, groups are
 * cut from the end, so specialists listed first are the last to go.
 */
export type StaffingOverride = Readonly<Record<string, number | readonly AgentGroup[]>>;

export function withStaffing(scenario: Scenario, staffing: StaffingOverride): Scenario {
  const names = new Set(scenario.shifts.map((s) => s.name));
  for (const name of Object.keys(staffing)) {
    if (!names.has(name))
      throw new RangeError(`staffing: no shift '${name}' in the scenario (shifts: ${[...names].join(', ')})`);
  }
  return {
    ...scenario,
    shifts: scenario.shifts.map((shift) => {
      const wanted = staffing[shift.name];
      if (wanted === undefined) return shift;
      return {
        ...shift,
        agents: typeof wanted === 'number' ? resized(shift.agents, wanted) : wanted.map((g) => ({ ...g })),
      };
    }),
  };
}

function resized(groups: readonly AgentGroup[], total: number): AgentGroup[] {
  if (!Number.isInteger(total) || total < 0)
    throw new RangeError(`staffing: agents must be a whole number >= 0, got ${total}`);
  const last = groups[groups.length - 1];
  if (last === undefined) throw new RangeError('staffing: a shift with no agent group cannot be resized');
  const current = groups.reduce((n, g) => n + g.count, 0);
  const out = groups.map((g) => ({ ...g }));
  if (total >= current) {
    (out[out.length - 1] as AgentGroup).count += total - current;
    return out;
  }
  let excess = current - total;
  for (let i = out.length - 1; i >= 0 && excess > 0; i--) {
    const g = out[i] as AgentGroup;
    const cut = Math.min(g.count, excess);
    g.count -= cut;
    excess -= cut;
  }
  return out;
}

/** `simulate` with the scenario's staffing replaced (the default scenario when none is given). */
export function simulateWithStaffing(options: SimulateOptions, staffing: StaffingOverride): SimulationResult {
  const scenario = options.scenario ?? loadScenario();
  return simulate({ ...options, scenario: withStaffing(scenario, staffing) });
}
