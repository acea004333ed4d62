// Which figures the tables show, in which order, and how each reads from the API's GroupFigures.
// The screen tables and the CSV export both come from these columns, so they cannot disagree.
import type { CsvCell } from './csv';
import type { GroupFigures } from './contract';
import type { TranslationKey } from '../i18n';
import type figures from '../../../locales/en/figures.json';

/** The page's `t` (or a test's), taking only keys the locale files have. */
export type Translate = (key: TranslationKey, options?: Record<string, unknown>) => string;
/** A column's id is the name of its header in `figures:columns`. */
type ColumnId = keyof typeof figures.columns;

/** One figure of one group: a count, or a share or a duration with the sample it was taken over. */
export type FigureValue =
  | { kind: 'count'; value: number }
  | { kind: 'rate'; value: number | null; n: number }
  /** ms; a bias may be negative. */
  | { kind: 'duration'; value: number | null; n: number };

export interface FigureColumn {
  id: string;
  kind: FigureValue['kind'];
  header: (t: Translate) => string;
  read: (f: GroupFigures) => FigureValue;
}

const count = (id: ColumnId, read: (f: GroupFigures) => number): FigureColumn => ({
  id,
  kind: 'count',
  header: (t) => t(`figures:columns.${id}`),
  read: (f) => ({ kind: 'count', value: read(f) }),
});
const rate = (
  id: ColumnId,
  read: (f: GroupFigures) => { value: number | null; n: number },
): FigureColumn => ({
  id,
  kind: 'rate',
  header: (t) => t(`figures:columns.${id}`),
  read: (f) => ({ kind: 'rate', ...read(f) }),
});
const duration = (
  id: ColumnId,
  read: (f: GroupFigures) => { value: number | null; n: number },
): FigureColumn => ({
  id,
  kind: 'duration',
  header: (t) => t(`figures:columns.${id}`),
  read: (f) => ({ kind: 'duration', ...read(f) }),
});

/** A missing threshold (the server was asked for other ones) reads as "no sample", not as 0 %. */
const serviceLevel = (seconds: number): FigureColumn => ({
  id: `serviceLevel${seconds}`,
  kind: 'rate',
  header: (t) => t('figures:columns.serviceLevel', { seconds }),
  read: (f) => ({ kind: 'rate', ...(f.serviceLevel[String(seconds)] ?? { value: null, n: 0 }) }),
});

/** Every figure of the contract, for the by-shift and by-language tables. */
export function figureColumns(thresholds: readonly number[]): FigureColumn[] {
  return [
    count('calls', (f) => f.calls),
    count('answered', (f) => f.answered),
    count('abandoned', (f) => f.abandoned),
    count('shortAbandoned', (f) => f.shortAbandoned),
    ...thresholds.map(serviceLevel),
    duration('asa', (f) => f.asaMs),
    rate('abandonmentRate', (f) => f.abandonmentRate),
    rate('firstContactResolution', (f) => f.firstContactResolution),
    rate('satisfaction', (f) => f.satisfaction),
    rate('surveyResponse', (f) => f.surveyResponse),
    duration('aht', (f) => f.ahtMs),
    rate('keepPlace', (f) => f.keepPlaceRate),
    rate('textFallback', (f) => f.textFallbackRate),
    rate('offerNonResponse', (f) => f.offerNonResponseRate),
    rate('interpreterFill', (f) => f.interpreterFillRate),
    duration('interpreterJoin', (f) => f.interpreterJoinMs),
    duration('estimateBias', (f) => ({ value: f.estimateError.biasMs, n: f.estimateError.n })),
    duration('estimateAbsError', (f) => ({ value: f.estimateError.meanAbsMs, n: f.estimateError.n })),
  ];
}

/** What tells agents apart: their answered calls and how those went. */
const AGENT_COLUMNS = new Set([
  'answered',
  'aht',
  'firstContactResolution',
  'satisfaction',
  'surveyResponse',
  'interpreterFill',
]);

export function agentColumns(): FigureColumn[] {
  return figureColumns([]).filter((c) => AGENT_COLUMNS.has(c.id));
}

// ── the same columns as CSV ─────────────────────────────────────────────────────────────────────

/** Per column: its value (percent or seconds, with the unit in the header) and, beside it, its n. */
export function csvHeader(columns: readonly FigureColumn[], t: Translate): string[] {
  return columns.flatMap((c) => {
    const name = c.header(t);
    if (c.kind === 'count') return [name];
    const unit = c.kind === 'rate' ? 'figures:csv.percent' : 'figures:csv.seconds';
    return [t(unit, { name }), t('figures:csv.sample', { name })];
  });
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function csvCells(columns: readonly FigureColumn[], figures: GroupFigures): CsvCell[] {
  return columns.flatMap((c) => {
    const v = c.read(figures);
    if (v.kind === 'count') return [v.value];
    if (v.value === null) return [null, v.n];
    return [v.kind === 'rate' ? round1(v.value * 100) : round1(v.value / 1000), v.n];
  });
}

const NONE = { value: null, n: 0 };

/** The figures of a group nobody called in (an hour without calls). */
export const EMPTY_FIGURES: GroupFigures = {
  calls: 0,
  offered: 0,
  answered: 0,
  abandoned: 0,
  shortAbandoned: 0,
  serviceLevel: {},
  asaMs: NONE,
  abandonmentRate: NONE,
  keepPlaceRate: NONE,
  textFallbackRate: NONE,
  offerNonResponseRate: NONE,
  interpreterFillRate: NONE,
  interpreterJoinMs: NONE,
  estimateError: { biasMs: null, meanAbsMs: null, n: 0 },
  firstContactResolution: NONE,
  satisfaction: NONE,
  surveyResponse: NONE,
  ahtMs: NONE,
};
