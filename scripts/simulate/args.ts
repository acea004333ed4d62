// The command line of `npm run simulate`, parsed without side effects: the caller prints and exits.
import { z } from 'zod';
import { TargetSchema } from '../../server/src/staffing/cliArgs';

export const USAGE = `npm run simulate -- [options]

A deterministic simulated day (or days) at the centre, driving the real lobby.
  --seed N           random seed (default 120); the same seed and scenario give the same run
  --days N           consecutive days from Monday 3 March 2025 (default 1); shifts repeat daily,
                     volunteers' hours weekly; the report adds a table by day
  --seeds N          N independent runs (seeds --seed … --seed + N − 1, up to 100) and only the wait
                     estimate's table over them: days passed per language, every call pooled
  --scenario FILE    scenario JSON (default scenarios/default.json)
  --staffing LIST    agents per shift instead of the scenario's, e.g. day=52,night=12: the last
                     agent group of each shift (its generalists) takes up the difference
  --offer-timeout S  seconds an agent has to accept an offer (else the scenario's, else the
                     lobby's default); also with --recommend
  --max-missed N     offers in a row an agent may miss before being set away; also with --recommend

Staffing recommended from a simulated history, then checked in the simulator:
  --recommend        simulate the scenario (--seed, --days), recommend agents per shift from what
                     it recorded (Erlang A per skill group, patience fitted to the hang-ups), then
                     run it again (seed + 1) with the scenario's roster and with the recommendation;
                     exits 1 unless every shift comes within 5 points of the target
  --target P/T       the service-level target (default 80/20: 80 % answered within 20 s)

Pure M/M/c through the real lobby, beside Erlang C:
  --mmc              one language, Poisson arrivals, exponential talk, no wrap-up, no hang-ups,
                     agents who accept at once and are always on
  --rate N           arrivals per hour (required)
  --aht S            mean handle time in seconds (required)
  --agents N         agents (required)
  --hours H          simulated hours (default 2000)
  --warmup H         hours discarded at the start (default 1% of --hours, at least 1)
  --threshold S      service-level threshold in seconds (default 20)
  --seed N           random seed (default 120)

  --help             this text`;

export type Command =
  | { kind: 'help' }
  | {
      kind: 'day';
      seed: number;
      days: number;
      scenarioPath: string | undefined;
      staffing: Record<string, number> | undefined;
      lobby: OfferPolicy;
      /** Independent runs for the estimate's table (1: the usual report). */
      seeds: number;
    }
  | {
      kind: 'recommend';
      seed: number;
      days: number;
      scenarioPath: string | undefined;
      target: { serviceLevel: number; thresholdS: number };
      lobby: OfferPolicy;
    }
  | {
      kind: 'mmc';
      seed: number;
      ratePerHour: number;
      ahtS: number;
      agents: number;
      hours: number;
      warmUpHours: number;
      thresholdS: number;
    };

/** Overrides of the scenario's offer policy from the command line (nothing given: none). */
export interface OfferPolicy {
  offerTimeoutS?: number;
  maxMissedOffers?: number;
}

export type ParsedArgs = { ok: true; command: Command } | { ok: false; message: string };

export const DEFAULT_SEED = 120;

const FLAGS = new Set(['help', 'mmc', 'recommend']);
const VALUED = new Set([
  'seed',
  'days',
  'scenario',
  'staffing',
  'rate',
  'aht',
  'agents',
  'hours',
  'warmup',
  'threshold',
  'target',
  'offer-timeout',
  'max-missed',
  'seeds',
]);
const MMC_ONLY = ['rate', 'aht', 'agents', 'hours', 'warmup', 'threshold'];
const DAY_ONLY = ['days', 'scenario', 'staffing', 'target', 'offer-timeout', 'max-missed', 'seeds'];

const integer = (min: number) =>
  z
    .string()
    .regex(/^[+-]?\d+$/, { message: 'expected a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { message: `expected a whole number >= ${min}` }),
    );
const positive = z
  .string()
  .refine((s) => s.trim() !== '' && Number.isFinite(Number(s)), { message: 'expected a number' })
  .transform(Number)
  .pipe(z.number().positive({ message: 'expected a number > 0' }));
const nonNegative = z
  .string()
  .refine((s) => s.trim() !== '' && Number.isFinite(Number(s)), { message: 'expected a number' })
  .transform(Number)
  .pipe(z.number().nonnegative({ message: 'expected a number >= 0' }));
const seed = integer(-(2 ** 31)).optional();

/** 'day=52,night=12' → { day: 52, night: 12 }. */
const staffingList = z.string().transform((s, ctx) => {
  const out: Record<string, number> = {};
  for (const part of s.split(',')) {
    const m = /^([^=]+)=(\d+)$/.exec(part.trim());
    if (m === null || m[1] === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected SHIFT=AGENTS[,SHIFT=AGENTS…] (bad part '${part}')` });
      return z.NEVER;
    }
    out[m[1].trim()] = Number(m[2]);
  }
  return out;
});

const DayArgs = z.object({
  seed,
  days: integer(1).optional(),
  scenario: z.string().min(1, { message: 'expected a file name' }).optional(),
  staffing: staffingList.optional(),
  target: TargetSchema.optional(),
  'offer-timeout': positive.optional(),
  'max-missed': integer(1).optional(),
  seeds: integer(1)
    .pipe(z.number().max(100, { message: 'expected at most 100' }))
    .optional(),
});

const MmcArgs = z.object({
  seed,
  rate: positive.optional(),
  aht: positive.optional(),
  agents: integer(1).optional(),
  hours: positive.optional(),
  warmup: nonNegative.optional(),
  threshold: nonNegative.optional(),
});

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags = new Set<string>();
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '-h') {
      flags.add('help');
      continue;
    }
    if (!token.startsWith('--')) return { ok: false, message: `unexpected argument '${token}'` };
    const eq = token.indexOf('=');
    const name = token.slice(2, eq === -1 ? undefined : eq);
    if (FLAGS.has(name)) {
      if (eq !== -1) return { ok: false, message: `--${name} takes no value` };
      flags.add(name);
    } else if (VALUED.has(name)) {
      const value = eq === -1 ? argv[++i] : token.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--')))
        return { ok: false, message: `--${name} needs a value` };
      if (name in values) return { ok: false, message: `--${name} given twice` };
      values[name] = value;
    } else {
      return { ok: false, message: `unknown option --${name}` };
    }
  }
  if (flags.has('help')) return { ok: true, command: { kind: 'help' } };

  const mmc = flags.has('mmc');
  if (mmc && flags.has('recommend')) return { ok: false, message: '--recommend does not apply with --mmc' };
  const misplaced = Object.keys(values).find((k) => (mmc ? DAY_ONLY : MMC_ONLY).includes(k));
  if (misplaced !== undefined)
    return {
      ok: false,
      message: mmc ? `--${misplaced} does not apply with --mmc` : `--${misplaced} needs --mmc`,
    };

  if (!mmc) {
    const recommend = flags.has('recommend');
    if (!recommend && 'target' in values) return { ok: false, message: '--target needs --recommend' };
    if (recommend && 'seeds' in values)
      return { ok: false, message: '--seeds does not apply with --recommend' };
    if (recommend && 'staffing' in values)
      return { ok: false, message: '--staffing does not apply with --recommend (it sets the staffing)' };
    const parsed = DayArgs.safeParse(values);
    if (!parsed.success) return { ok: false, message: firstIssue(parsed.error, values) };
    const a = parsed.data;
    const lobby: OfferPolicy = {
      ...(a['offer-timeout'] !== undefined && { offerTimeoutS: a['offer-timeout'] }),
      ...(a['max-missed'] !== undefined && { maxMissedOffers: a['max-missed'] }),
    };
    const run = { seed: a.seed ?? DEFAULT_SEED, days: a.days ?? 1, scenarioPath: a.scenario, lobby };
    if (recommend) {
      const { percent, thresholdS } = a.target ?? { percent: 80, thresholdS: 20 };
      const target = { serviceLevel: percent / 100, thresholdS };
      return { ok: true, command: { kind: 'recommend', ...run, target } };
    }
    return { ok: true, command: { kind: 'day', ...run, staffing: a.staffing, seeds: a.seeds ?? 1 } };
  }
  const parsed = MmcArgs.safeParse(values);
  if (!parsed.success) return { ok: false, message: firstIssue(parsed.error, values) };
  const a = parsed.data;
  const { rate, aht, agents } = a;
  if (rate === undefined || aht === undefined || agents === undefined) {
    const missing = (['rate', 'aht', 'agents'] as const).filter((k) => a[k] === undefined);
    return { ok: false, message: `--mmc needs ${missing.map((k) => `--${k}`).join(', ')}` };
  }
  const hours = a.hours ?? 2000;
  const warmUpHours = a.warmup ?? Math.max(1, hours / 100);
  if (warmUpHours >= hours)
    return { ok: false, message: `--warmup (${warmUpHours} h) must be shorter than --hours (${hours} h)` };
  return {
    ok: true,
    command: {
      kind: 'mmc',
      seed: a.seed ?? DEFAULT_SEED,
      ratePerHour: rate,
      ahtS: aht,
      agents,
      hours,
      warmUpHours,
      thresholdS: a.threshold ?? 20,
    },
  };
}

function firstIssue(error: z.ZodError, values: Record<string, string>): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid arguments';
  const flag = issue.path[0];
  if (flag === undefined) return issue.message;
  const given = values[String(flag)];
  return `--${String(flag)}: ${issue.message}${given === undefined ? '' : `, got '${given}'`}`;
}
