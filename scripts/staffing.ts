/**
 * Staffing calculator: `npm run staffing -- --rate 95 --aht 351 --target 80/20 [--patience 120]`.
 * Exit codes: 0 printed, 1 no staffing meets the target, 2 bad invocation.
 */
import { UnreachableTargetError } from '../server/src/staffing/agentsNeeded';
import { parseStaffingArgs, USAGE, UsageError } from '../server/src/staffing/cliArgs';
import { staffingReport } from '../server/src/staffing/report';

function main(argv: readonly string[]): number {
  let command;
  try {
    command = parseStaffingArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\nRun with --help for usage.`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    process.stdout.write(staffingReport(command));
    return 0;
  } catch (error) {
    if (!(error instanceof UnreachableTargetError)) throw error;
    console.error(`error: ${error.message}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
