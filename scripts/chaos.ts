// `npm run chaos [-- --calls N --waiting M --only kill-host,drain]`: a real Redis, PostgreSQL and
// three node processes behind a balancer, Chromium pages in calls and callers waiting, then each
// failure in turn (SIGKILL the leader, SIGKILL a host, SIGTERM-drain a node, a rolling restart,
// restart Redis, stop PostgreSQL for 10 s). One line per failure, a table, a verdict; exit code 1 if
// any promise broke. Needs the built client (`npm run build`) and Debian's chromium, redis-server and
// postgresql (`node scripts/setup.mjs --for-tests`). NODE_LOG_LEVEL sets the nodes' log level.
import { parseArgs } from 'node:util';
import { ACTIONS, Chaos, type ActionName, type ActionResult } from '../test/chaos/Chaos';
import { brokenPromises, resultLine, resultTable } from '../test/chaos/report';

/** The whole run, setup included, may not take longer than this. */
const RUN_LIMIT_MS = 20 * 60_000;

function options(): { calls: number; waiting: number; only: ActionName[]; verbose: boolean } {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '3' },
      waiting: { type: 'string', default: '3' },
      only: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const count = (name: string, text: string, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > 20)
      throw new TypeError(`--${name} wants a whole number ${min}–20, got ${text}`);
    return n;
  };
  const only = values.only?.split(',').map((s) => s.trim()) ?? [...ACTIONS];
  for (const a of only)
    if (!(ACTIONS as readonly string[]).includes(a))
      throw new TypeError(`--only: unknown action ${a} (one of ${ACTIONS.join(', ')})`);
  return {
    calls: count('calls', values.calls, 1),
    waiting: count('waiting', values.waiting, 0),
    only: ACTIONS.filter((a) => only.includes(a)),
    verbose: values.verbose,
  };
}

async function main(): Promise<number> {
  const opts = options();
  const started = Date.now();
  const limit = setTimeout(() => {
    console.error(`[chaos] the run took longer than ${RUN_LIMIT_MS / 60_000} min: stopped`);
    process.exit(2);
  }, RUN_LIMIT_MS);
  limit.unref();
  console.log(
    `[chaos] ${opts.calls} calls, ${opts.waiting} waiting callers; actions: ${opts.only.join(', ')}`,
  );
  const chaos = await Chaos.start({ calls: opts.calls, waiting: opts.waiting, log: (l) => console.log(l) });
  const results: ActionResult[] = [];
  try {
    for (const action of opts.only) {
      const result = await chaos.run(action);
      results.push(result);
      console.log(resultLine(result));
      if (brokenPromises(result).length > 0 && opts.verbose) console.log(chaos.output());
    }
    const end = await chaos.finish();
    results.push(end);
    console.log(resultLine(end));
  } finally {
    const broken = results.some((r) => brokenPromises(r).length > 0);
    if (broken && !opts.verbose)
      console.log("[chaos] (--verbose prints the nodes' last output after a broken promise)");
    await chaos.close();
  }
  console.log(`\n${resultTable(results, Date.now() - started)}`);
  return results.some((r) => brokenPromises(r).length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
