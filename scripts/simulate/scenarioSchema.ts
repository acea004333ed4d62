// What a scenario file may say, checked field by field: a wrong file fails with the path of the field
// (`scenario.shifts[1].agents[0].count: …`), never halfway through a simulated day.
import { z } from 'zod';
import { canonicalLanguage } from '../../server/src/lobby';

const language = z
  .string()
  .refine((tag) => canonicalLanguage(tag) !== null, { message: 'not a valid BCP-47 language tag' });

const nonNegative = z.number().finite().nonnegative();
const positive = z.number().finite().positive();
const count = z.number().int('expected a whole number').nonnegative();

/** [min, max] with min ≤ max. */
const range = (inner: z.ZodNumber) =>
  z
    .tuple([inner, inner], { message: 'expected [min, max]' })
    .refine(([lo, hi]) => lo <= hi, { message: 'min must not exceed max' });

/** Weights of a weighted choice: order in the file does not matter, the code draws in a fixed order. */
const weights = <K extends string>(keys: readonly [K, ...K[]]) =>
  z
    .strictObject(Object.fromEntries(keys.map((k) => [k, nonNegative])) as Record<K, typeof nonNegative>)
    .refine((w) => Object.values(w as Record<string, number>).some((v) => v > 0), {
      message: 'at least one weight must be > 0',
    });

/** Language → number; the order of the keys is the order of the random draws, so keep it stable. */
const byLanguage = (value: z.ZodNumber) =>
  z
    .record(language, value)
    .refine((r) => Object.keys(r).length > 0, { message: 'expected at least one language' });

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: "expected 'HH:MM'" });

const lognormal = z.strictObject({
  /** Median in seconds. */
  medianS: positive,
  /** Sigma of the underlying normal: 0 is a fixed time, 0.5 a typical spread. */
  sigma: nonNegative,
});

const shift = z.strictObject({
  name: z.string().min(1, { message: 'expected a non-empty name' }),
  /** [start, end) in hours after the day's midnight; an end past 24 runs into the next morning. */
  hours: z
    .array(
      range(z.number().finite().min(0).max(48)).refine(([lo, hi]) => lo < hi, {
        message: 'a period must end after it starts',
      }),
    )
    .min(1, { message: 'expected at least one period' }),
  /** Groups of agents who speak the same languages, in log-on order. */
  agents: z.array(z.strictObject({ languages: z.array(language).min(1), count })),
});

export const ScenarioSchema = z.strictObject({
  /** Free text for whoever reads the file (JSON has no comments). */
  description: z.string().optional(),
  arrivalsPerHour: z.array(nonNegative, { message: 'expected 24 numbers' }).length(24, {
    message: 'expected 24 numbers (expected calls in each hour of the day)',
  }),
  languageMix: byLanguage(nonNegative).refine((mix) => Object.values(mix).some((w) => w > 0), {
    message: 'at least one weight must be > 0',
  }),
  shifts: z
    .array(shift)
    .min(1, { message: 'expected at least one shift' })
    .refine((list) => new Set(list.map((s) => s.name)).size === list.length, {
      message: 'shift names must be unique',
    }),
  volunteers: z.strictObject({
    /** Registered volunteers per language. */
    pool: z.record(language, count),
    /** Chance a volunteer has the app open on a given day. */
    onlineProbability: z.number().min(0).max(1),
    /** How many weekly blocks each volunteer declares, drawn uniformly from [min, max]. */
    blocksPerWeek: range(z.number().int().min(0)),
    /** The blocks they choose from, each on a random weekday. */
    blocks: z
      .array(
        z
          .tuple([clockTime, clockTime], { message: "expected ['HH:MM', 'HH:MM']" })
          .refine(([s, e]) => s < e, { message: 'a block must end after it starts' }),
      )
      .min(1, { message: 'expected at least one block' }),
  }),
  /**
   * The lobby's offer policy (its defaults where left out): how long an agent has to accept, and
   * how many offers in a row they may miss before they are set away and the next agent is rung.
   */
  lobby: z
    .strictObject({
      offerTimeoutS: positive.optional(),
      maxMissedOffers: z.int().min(1, { message: 'expected a whole number >= 1' }).optional(),
    })
    .optional(),
  behaviour: z.strictObject({
    agent: z.strictObject({
      weights: weights(['accept', 'decline', 'miss']),
      acceptAfterS: range(nonNegative),
      declineAfterS: range(nonNegative),
      /** Break taken after being set away for missed offers. */
      awayForS: range(nonNegative),
    }),
    volunteer: z.strictObject({
      weights: weights(['accept', 'decline', 'ignore']),
      acceptAfterS: range(nonNegative),
      declineAfterS: range(nonNegative),
    }),
    talk: z.strictObject({
      video: lognormal,
      interpreted: lognormal,
      text: lognormal,
      /** No call is shorter. */
      minS: nonNegative,
    }),
    wrapUpS: range(nonNegative),
    /** How long a caller waits before hanging up. */
    patience: lognormal,
    /** The agent gives up waiting for an interpreter after this long and ends the call. */
    interpreterGiveUpS: positive,
    fallback: z.strictObject({
      /** Time the caller takes to pick text or callback. */
      choiceAfterS: nonNegative,
      noCapacity: weights(['text', 'callback', 'wait']),
      longWait: weights(['text', 'callback', 'wait']),
    }),
  }),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ShiftSpec = Scenario['shifts'][number];
export type BehaviourSpec = Scenario['behaviour'];

/** A bad scenario, with one line per wrong field. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** Checks untrusted data (a parsed JSON file) and returns the scenario, or throws ScenarioError. */
export function parseScenario(data: unknown, source = 'scenario'): Scenario {
  const parsed = ScenarioSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, 10).map((i) => `  ${pathOf(source, i.path)}: ${i.message}`);
  const more = parsed.error.issues.length - lines.length;
  if (more > 0) lines.push(`  … and ${more} more`);
  throw new ScenarioError(`invalid scenario:\n${lines.join('\n')}`);
}

function pathOf(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `.${String(k)}`;
  return out;
}
