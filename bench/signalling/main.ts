// `npm run bench:signalling`: N idle callers waiting in line on the real product (one process, the
// real worker, SQLite in a temp dir), each from its own loopback address; the server's memory per
// connection and the position updates per second the lobby sustains before its event loop lags.
// Environment: SIGNALLING_BENCH_CALLERS (5000), SIGNALLING_BENCH_RATES (churns/s, "1,2,5,10,20,50,100"),
// SIGNALLING_BENCH_STEP_SECONDS (5), SIGNALLING_BENCH_HEAP_SNAPSHOT (a file to write the server's heap to).
import { spawnSync } from 'node:child_process';
import { fdLimit, fdProblem, fdsNeeded, shellWithLimit } from './fdLimit';
import { formatReport } from './report';
import { runSignallingBench } from './run';

const TARGET_KB_PER_CONNECTION = 20;
const LAG_LIMIT_MS = 50;

const env = process.env;
const callers = Number(env['SIGNALLING_BENCH_CALLERS'] ?? 5000);
const rates = (env['SIGNALLING_BENCH_RATES'] ?? '1,2,5,10,20,50,100').split(',').map(Number);
const stepMs = Number(env['SIGNALLING_BENCH_STEP_SECONDS'] ?? 5) * 1000;
if (!Number.isInteger(callers) || callers < 1 || rates.some((r) => !(r > 0)) || !(stepMs > 0)) {
  console.error(
    'bench:signalling: SIGNALLING_BENCH_CALLERS, _RATES and _STEP_SECONDS must be positive numbers',
  );
  process.exit(2);
}

const needed = fdsNeeded(callers);
const problem = fdProblem(needed);
if (problem) {
  console.error(`bench:signalling: ${problem}`);
  process.exit(1);
}
if (fdLimit().soft < needed && env['SIGNALLING_BENCH_LIMIT_RAISED'] === undefined) {
  // This process holds every caller's socket: start again under a raised limit.
  console.log(`raising the open-file limit to ${needed} (was ${fdLimit().soft})`);
  const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const again = spawnSync('sh', shellWithLimit(needed, argv), {
    stdio: 'inherit',
    env: { ...env, SIGNALLING_BENCH_LIMIT_RAISED: '1' },
  });
  process.exit(again.status ?? 1);
}

const result = await runSignallingBench({
  callers,
  churnRates: rates,
  stepMs,
  lagLimitMs: LAG_LIMIT_MS,
  heapSnapshot: env['SIGNALLING_BENCH_HEAP_SNAPSHOT'],
  log: (line) => console.log(line),
});
console.log('');
for (const line of formatReport(result, TARGET_KB_PER_CONNECTION, LAG_LIMIT_MS)) console.log(line);
