// What `npm run simulate` does, as a function of its arguments that returns the exit code.
import { parseArgs, USAGE } from './args';
import { simulate } from './engine';
import { estimateOverDays } from './estimateDays';
import { estimateDaysReport, estimateReport } from './estimateReport';
import { compareMmc, simulateMmc } from './mmc';
import { mmcReport } from './mmcReport';
import { checkRecommendation } from './recommend';
import { recommendReport } from './recommendReport';
import { report } from './report';
import { loadScenario } from './scenarioFile';
import { ScenarioError } from './scenarioSchema';
import { withStaffing } from './staffing';

/** Exit code of a bad command line or a bad scenario file. */
export const USAGE_ERROR = 2;

export interface Output {
  log(text: string): void;
  error(text: string): void;
}

export function runCli(argv: readonly string[], out: Output): number {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    out.error(`simulate: ${parsed.message}\nRun with --help for the options.`);
    return USAGE_ERROR;
  }
  const cmd = parsed.command;
  if (cmd.kind === 'help') {
    out.log(USAGE);
    return 0;
  }
  if (cmd.kind === 'mmc') {
    const result = simulateMmc(cmd);
    out.log(mmcReport(result, compareMmc(result)));
    return 0;
  }
  try {
    const file = loadScenario(cmd.scenarioPath);
    const base = { ...file, lobby: { ...file.lobby, ...cmd.lobby } };
    if (cmd.kind === 'recommend') {
      const check = checkRecommendation({
        seed: cmd.seed,
        days: cmd.days,
        scenario: base,
        target: cmd.target,
      });
      out.log(recommendReport(check, cmd.seed, cmd.days));
      return check.met ? 0 : 1;
    }
    const scenario = cmd.staffing === undefined ? base : withStaffing(base, cmd.staffing);
    const run = { seed: cmd.seed, days: cmd.days, scenario };
    if (cmd.seeds > 1) {
      const days = Array.from({ length: cmd.seeds }, (_, i) => {
        const one = { ...run, seed: cmd.seed + i };
        return { after: simulate(one), before: simulate({ ...one, waitEstimator: 'basic' as const }) };
      });
      out.log(estimateDaysReport(estimateOverDays(days), cmd.seed, cmd.seeds));
      return 0;
    }
    const result = simulate(run);
    out.log(report(result));
    out.log(estimateReport(result, simulate({ ...run, waitEstimator: 'basic' })));
    return 0;
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof RangeError) {
      out.error(`simulate: ${e.message}`);
      return USAGE_ERROR;
    }
    throw e;
  }
}
