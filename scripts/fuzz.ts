// `npm run fuzz [-- --messages N] [--seed S] [--lanes L]`: the signalling fuzzer against a real app in
// this process (test/fuzz/fuzzer.ts). Prints the counts and the checks; exits 1 if any check fails.
import { parseArgs } from 'node:util';
import { formatReport } from '../test/fuzz/report';
import { runFuzz } from '../test/fuzz/fuzzer';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    lanes: { type: 'string', default: '6' },
  },
});
const count = Number(values.messages);
const seed = Number(values.seed);
const lanes = Number(values.lanes);
if (
  !Number.isInteger(count) ||
  count < 1 ||
  !Number.isInteger(seed) ||
  !Number.isInteger(lanes) ||
  lanes < 1
) {
  console.error('usage: npm run fuzz -- [--messages N] [--seed S] [--lanes L]  (positive integers)');
  process.exit(2);
}
console.log(`fuzz: ${count} messages, seed ${seed}, ${lanes} lanes`);
const report = await runFuzz({
  messages: count,
  seed,
  lanes,
  onProgress: (n) => {
    if (n % 10_000 === 0) console.log(`  ${n} sent`);
  },
});
console.log(formatReport(report));
process.exit(report.checks.every((c) => c.ok) ? 0 : 1);
