/** Argument parsing for the staffing calculator: pure (argv in, a command out) so it is unit-testable. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Target } from './agentsNeeded';
import type { Load } from './erlangC';

export const USAGE = `Usage: npm run staffing -- --rate CALLS_PER_HOUR --aht SECONDS --target PERCENT/SECONDS
                            [--patience SECONDS]

How many agents a queue needs to answer PERCENT of its calls within SECONDS, by Erlang C
(nobody hangs up) and, given callers' mean patience, by Erlang A (callers hang up).
Prints the service level, ASA, P(wait), P(abandon) and occupancy at that staffing and
at two agents either side of it.

Options:
  --rate N          calls offered per hour (> 0)
  --aht SECONDS     average handle time: talk plus wrap-up (> 0)
  --target P/T      service-level target, e.g. 80/20: 80 % answered within 20 s
  --patience S      callers' mean patience in seconds (> 0): adds Erlang A
  -h, --help        show this help

The service level counts every offered call: a caller who hangs up is a call missed.

Example:
  npm run staffing -- --rate 95 --aht 351 --target 80/20 --patience 120
`;

export type StaffingCommand =
  { kind: 'help' } | { kind: 'plan'; load: Load; target: Target; patienceS?: number };

/** Bad invocation: the message says what is wrong; the caller prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const OPTIONS = {
  rate: { type: 'string' },
  aht: { type: 'string' },
  target: { type: 'string' },
  patience: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A plain decimal number: Number('') is 0 and Number('0x10') is 16, neither meant. */
const Decimal = z
  .string()
  .trim()
  .regex(/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i, { message: 'must be a number' })
  .transform(Number);
const Positive = Decimal.pipe(z.number().positive({ message: 'must be greater than 0' }));

/** `80/20`: the percent answered within how many seconds (also read by `npm run simulate`). */
export const TargetSchema = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?%?\/\d+(\.\d+)?s?$/, {
    message: 'must look like 80/20: the percent answered, a slash, within how many seconds',
  })
  .transform((value) => {
    const [percent, seconds] = value.split('/').map((part) => parseFloat(part));
    return { percent: percent!, thresholdS: seconds! };
  })
  .refine(({ percent }) => percent > 0 && percent < 100, {
    message: 'must have a percent above 0 and below 100 (no staffing answers 100 % in time)',
  });

export function parseStaffingArgs(argv: readonly string[]): StaffingCommand {
  const values = parseOptions(argv);
  if (values.help === true) return { kind: 'help' };

  const ratePerHour = check(Positive, required(values.rate, 'rate'), '--rate');
  const ahtS = check(Positive, required(values.aht, 'aht'), '--aht');
  const { percent, thresholdS } = check(TargetSchema, required(values.target, 'target'), '--target');
  const load = { ratePerHour, ahtS };
  const target = { serviceLevel: percent / 100, thresholdS };
  if (values.patience === undefined) return { kind: 'plan', load, target };
  return { kind: 'plan', load, target, patienceS: check(Positive, values.patience, '--patience') };
}

function parseOptions(argv: readonly string[]) {
  try {
    const args = attachNegativeValues(argv);
    return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // parseArgs's own messages are clear ("Unknown option '--x'", "Option '--rate <value>' argument missing").
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * "--rate -5" to "--rate=-5": parseArgs refuses a value that starts with a dash as ambiguous, and the
 * useful answer is that a rate cannot be negative.
 */
function attachNegativeValues(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.slice(2);
    const takesValue =
      arg.startsWith('--') &&
      Object.hasOwn(OPTIONS, name) &&
      OPTIONS[name as keyof typeof OPTIONS].type === 'string';
    if (takesValue && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else {
      args.push(arg);
    }
  }
  return args;
}

function required(value: string | undefined, name: string): string {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

function check<S extends z.ZodType>(schema: S, value: string, flag: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new UsageError(`${flag} ${result.error.issues.map((i) => i.message).join('; ')}, got '${value}'`);
  }
  return result.data;
}
