// `npm run bench:media [-- --max-k 40 --seconds 10 --bad stop-reading,flood-signalling,flood-rtp]`
import { parseArgs } from 'node:util';
import { runMediaBench } from './bench';
import { BAD_MODES, type BadMode } from './misbehaving';
import { report } from './report';

const { values } = parseArgs({
  options: {
    ks: { type: 'string' },
    'max-k': { type: 'string', default: '40' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
    'video-kbps': { type: 'string', default: '1500' },
    bad: { type: 'string', default: BAD_MODES.join(',') },
    'bad-k': { type: 'string' },
    rounds: { type: 'string', default: '2' },
  },
});

/** 2, 5, 10, 20, 40, … up to max. */
function defaultKs(max: number): number[] {
  const ks = [2, 5, 10];
  while (ks.at(-1)! * 2 <= max) ks.push(ks.at(-1)! * 2);
  return ks.filter((k) => k <= max);
}

const positive = (name: string, v: string | undefined): number => {
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0) throw new Error(`--${name} must be a positive number, not ${v}`);
  return x;
};
const bad = (values.bad ?? '')
  .split(',')
  .filter(Boolean)
  .map((m) => {
    if (!(BAD_MODES as readonly string[]).includes(m)) throw new Error(`--bad: unknown mode ${m}`);
    return m as BadMode;
  });

const result = await runMediaBench({
  ks: values.ks
    ? values.ks.split(',').map((k) => positive('ks', k))
    : defaultKs(positive('max-k', values['max-k'])),
  seconds: positive('seconds', values.seconds),
  warmupSeconds: positive('warmup', values.warmup),
  workers: positive('workers', values.workers),
  videoKbps: positive('video-kbps', values['video-kbps']),
  bad,
  ...(values['bad-k'] !== undefined && { badK: positive('bad-k', values['bad-k']) }),
  rounds: positive('rounds', values.rounds),
  log: (line) => console.error(line),
});
console.log(report(result));
// werift keeps timers and UDP sockets of closed peers referenced: the run is over, so leave.
process.exit(0);
