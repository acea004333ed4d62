// npm run simulate [-- --seed N]: a deterministic simulated day at the centre driving the real Lobby.
import { simulate } from './simulate/engine';
import { report } from './simulate/report';

function parseSeed(argv: string[]): number {
  const i = argv.indexOf('--seed');
  const raw = i === -1 ? undefined : argv[i + 1];
  if (raw === undefined) return 120;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`--seed needs an integer, got '${raw}'`);
  return seed;
}

console.log(report(simulate({ seed: parseSeed(process.argv.slice(2)) })));
