import { describe, expect, it } from 'vitest';
import type { GroupFigures } from '../../../client/src/supervisor/contract';
import {
  agentColumns,
  csvCells,
  csvHeader,
  EMPTY_FIGURES,
  figureColumns,
  type Translate,
} from '../../../client/src/supervisor/figureColumns';

/** Keys and their options, visible in the output: what the headers are made of. */
const t: Translate = (key, options) => (options ? `${key}${JSON.stringify(options)}` : key);

const figures: GroupFigures = {
  ...EMPTY_FIGURES,
  calls: 4,
  offered: 3,
  answered: 2,
  abandoned: 1,
  shortAbandoned: 1,
  serviceLevel: { '20': { value: 2 / 3, n: 3 } },
  asaMs: { value: 12_345, n: 2 },
  satisfaction: { value: 1, n: 1 },
  estimateError: { biasMs: -4_000, meanAbsMs: 6_000, n: 2 },
};

describe('figure columns', () => {
  it('one column per threshold, each reading its own service level', () => {
    const ids = figureColumns([20, 120]).map((c) => c.id);
    expect(ids.filter((id) => id.startsWith('serviceLevel'))).toEqual(['serviceLevel20', 'serviceLevel120']);
    const sl120 = figureColumns([120])[4]!;
    // Not asked of the server: no sample, not 0 %.
    expect(sl120.read(figures)).toEqual({ kind: 'rate', value: null, n: 0 });
  });

  it('CSV: a count is one cell; a share or a time is its value (percent, seconds) and its n', () => {
    const columns = figureColumns([20]).filter((c) =>
      ['calls', 'serviceLevel20', 'asa', 'satisfaction', 'estimateBias', 'aht'].includes(c.id),
    );
    expect(csvHeader(columns, t)).toEqual([
      'figures:columns.calls',
      'figures:csv.percent{"name":"figures:columns.serviceLevel{\\"seconds\\":20}"}',
      'figures:csv.sample{"name":"figures:columns.serviceLevel{\\"seconds\\":20}"}',
      'figures:csv.seconds{"name":"figures:columns.asa"}',
      'figures:csv.sample{"name":"figures:columns.asa"}',
      'figures:csv.percent{"name":"figures:columns.satisfaction"}',
      'figures:csv.sample{"name":"figures:columns.satisfaction"}',
      'figures:csv.seconds{"name":"figures:columns.aht"}',
      'figures:csv.sample{"name":"figures:columns.aht"}',
      'figures:csv.seconds{"name":"figures:columns.estimateBias"}',
      'figures:csv.sample{"name":"figures:columns.estimateBias"}',
    ]);
    // 2/3 → 66.7 %, 12 345 ms → 12.3 s, no handle time yet → empty with n = 0, a negative bias stays negative.
    expect(csvCells(columns, figures)).toEqual([4, 66.7, 3, 12.3, 2, 100, 1, null, 0, -4, 2]);
  });

  it('the per-agent table keeps what tells agents apart', () => {
    expect(agentColumns().map((c) => c.id)).toEqual([
      'answered',
      'firstContactResolution',
      'satisfaction',
      'surveyResponse',
      'aht',
      'interpreterFill',
    ]);
  });
});
