// Reading a scenario file: the I/O half of scenarioSchema.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Scenario } from './scenarioSchema';
import { parseScenario, ScenarioError } from './scenarioSchema';

export const DEFAULT_SCENARIO_PATH = fileURLToPath(new URL('../../scenarios/default.json', import.meta.url));

export function loadScenario(path: string = DEFAULT_SCENARIO_PATH): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ScenarioError(`cannot read scenario file ${path}: ${(e as Error).message}`, { cause: e });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`scenario file ${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  return parseScenario(data, 'scenario');
}
