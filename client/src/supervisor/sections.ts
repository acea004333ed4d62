// Sections other modules contribute to the page, each with `load(range)` and `view(data, t)`
// (contract of issue 15). The page loads each for the chosen period and renders what it gives.
import type { TemplateResult } from 'lit-html';
import type { Translate } from './figureColumns';
import * as presence from './presenceSection';
import type { Range } from './range';

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
 * MOUNT POINT. Each section renders its own heading and tables, below the call list:
 * - time away by reason and occupancy (presenceSection.ts, from feat/presence);
 * - staffing per shift (client/src/supervisor/staffingSection.ts, branch feat/staffing-history):
 *   `import * as staffing from './staffingSection';` and `mount('staffing', staffing)` once merged.
 */
export const SECTIONS: readonly MountedSection[] = [mount('presence', presence)];
