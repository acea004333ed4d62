// Sections other modules contribute to the page, each with `load(range)` and `view(data, t)`
// (contract of issue 15). The page loads each for the chosen period and renders what it gives.
import type { TemplateResult } from 'lit-html';
import type { Translate } from './figureColumns';
import * as ledger from './ledgerSection';
import * as presence from './presenceSection';
import type { Range } from './range';
import * as staffing from './staffingSection';

export interface SectionModule<D = unknown> {
  load: (range: Range) => Promise<D>;
  view: (data: D, t: Translate) => TemplateResult;
}

export interface MountedSection {
  id: string;
  module: SectionModule;
}

const mount = <D>(id: string, module: SectionModule<D>): MountedSection => ({
  id,
  module: module as SectionModule,
});

/**
 * Each section renders its own heading and tables, below the call list: time away by reason and
 * occupancy, staffing per shift from the last weeks of calls, and the volunteer ledger. The last
 * two look back over their own span (whole weeks, months), not the page's period.
 */
export const SECTIONS: readonly MountedSection[] = [
  mount('presence', presence),
  mount('staffing', staffing),
  mount('ledger', ledger),
];
