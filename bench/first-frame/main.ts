// `npm run bench:first-frame [-- --calls N] [--joins N] [--quiet]`: accept → first decoded remote
// video frame in Chromium, for the product's flow and for a bare mediasoup-client flow on the same
// server in the same run (20 calls each by default), and a volunteer interpreter joining a call.
// The product's pages are the built client (dist/client): the npm script builds it first.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { table } from './figures';
import { timelineTable } from './timeline';
import { runFirstFrameBench } from './run';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '20' },
    joins: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const calls = Number(values.calls);
const joins = Number(values.joins ?? values.calls);
if (!Number.isInteger(calls) || calls < 1 || !Number.isInteger(joins) || joins < 0) {
  console.error('--calls must be a whole number ≥ 1 and --joins ≥ 0');
  process.exit(2);
}
if (!fs.existsSync(path.resolve('dist/client/index.html'))) {
  console.error('dist/client is missing: run `npm run build` first');
  process.exit(2);
}
const figures = await runFirstFrameBench({
  calls,
  joins,
  progress: values.quiet ? undefined : (line) => console.log(line),
});
console.log(`\naccept → first decoded remote video frame, loopback, Chromium (${calls} calls each):`);
console.log(table(figures));
console.log(
  `\n${timelineTable('where the time goes, two-way calls (ms after the accept):', figures.timelines.call)}`,
);
console.log(`\n${timelineTable("the bare flow (ms after a's start):", figures.timelines.bare)}`);
if (joins > 0)
  console.log(
    `\n${timelineTable('where the time goes, interpreter joins (ms after the accept):', figures.timelines.join)}`,
  );
