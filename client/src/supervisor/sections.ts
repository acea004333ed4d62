// Sections other modules contribute to the page, each with `load(range)` and `view(data, t)`
// (contract of issue 15). The page loads each for the chosen period and renders what it gives.
import type { TemplateResult } from 'lit-html';
import type { Translate } from './figureColumns';
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
 * MOUNT POINT. Time away by reason and occupancy (client/src/supervisor/presenceSection.ts, branch
 * feat/presence) and staffing per shift (client/src/supervisor/staffingSection.ts, branch
 * feat/staffing-history) are mounted here once those branches are merged:
 *   import * as presence from './presenceSection';  →  mount('presence', presence),
 *   import * as staffing from './staffingSection';  →  mount('staffing', staffing),
 */
export const SECTIONS: readonly MountedSection[] = [];

export { mount };
