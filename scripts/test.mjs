// `npm test`: every stage in order, each timed, stopping at the first that fails. Prints one line
// per stage as it ends and a table of all of them at the end, so a slow stage shows in every CI log.
import { spawnSync } from 'node:child_process';

const vitest = (project, report) => [
  'npx',
  'vitest',
  'run',
  ...project.flatMap((p) => ['--project', p]),
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=test-results/${report}.json`,
];

/** [name, command]: each run from the repository root with the terminal's output. */
const STAGES = [
  ['setup (dependencies, worker, Debian packages)', ['node', 'scripts/setup.mjs', '--for-tests']],
  ['lint', ['npm', 'run', 'lint']],
  ['typecheck', ['npm', 'run', 'typecheck']],
  ['unit and integration tests', vitest(['unit', 'integration'], 'unit')],
  ['build (client bundle, compiled server)', ['npm', 'run', 'build']],
  ['browser tests (Chromium)', vitest(['e2e'], 'e2e')],
  ['cluster tests (three nodes)', vitest(['cluster'], 'cluster')],
  ['container image (podman build, a call through it)', vitest(['container'], 'container')],
  ['summary', ['node', 'scripts/test-summary.mjs']],
];

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const done = [];
let failed = null;
for (const [name, [command, ...args]] of STAGES) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const ms = Date.now() - started;
  done.push([name, ms]);
  console.log(`[test] ${name}: ${seconds(ms)}${result.status === 0 ? '' : ' (failed)'}`);
  if (result.status !== 0) {
    failed = result.status ?? 1;
    break;
  }
}
console.log('\n[test] stage times');
for (const [name, ms] of done) console.log(`[test]   ${seconds(ms).padStart(8)}  ${name}`);
const total = done.reduce((sum, [, ms]) => sum + ms, 0);
console.log(`[test]   ${seconds(total).padStart(8)}  in all`);
process.exit(failed ?? 0);
