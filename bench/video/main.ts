// npm run bench:video [-- --seconds 10 --settle 8 --recover-limit 30]: see run.ts. Root only.
import { parseArgs } from 'node:util';
import { runVideoBench } from './run';
import { videoTable } from './report';
import type { NetworkCondition } from './network';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    settle: { type: 'string', default: '8' },
    'recover-limit': { type: 'string', default: '30' },
  },
});
const seconds = (name: keyof typeof values) => {
  const v = Number(values[name]);
  if (!Number.isFinite(v) || v <= 0 || v > 600) {
    console.error(`--${name}: a number of seconds from 1 to 600, not "${values[name]}"`);
    process.exit(2);
  }
  return v;
};

/** The conditions: uplink caps of 2 Mbit/s to 300 kbit/s, and 5% loss at 1 Mbit/s. */
const CONDITIONS: NetworkCondition[] = [
  { kbps: 2000, loss: 0 },
  { kbps: 1000, loss: 0 },
  { kbps: 500, loss: 0 },
  { kbps: 300, loss: 0 },
  { kbps: 1000, loss: 0.05 },
];

const result = await runVideoBench({
  conditions: CONDITIONS,
  measureSeconds: seconds('seconds'),
  settleSeconds: seconds('settle'),
  recoverLimitSeconds: seconds('recover-limit'),
  log: (line) => console.error(line),
});
console.log(videoTable(result));
