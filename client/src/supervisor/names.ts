// Display names for the codes the API returns: shifts, languages, modes, outcomes.
import { i18n, languageName, t } from '../i18n';

/** The default shifts have translated names; a centre's own shift names are shown as configured. */
export function shiftName(shift: string | null): string {
  if (shift === null || shift === '') return t('supervisor:figures.noShift');
  const key = `supervisor:figures.shifts.${shift}`;
  return i18n.exists(key) ? t(key) : shift;
}

/** A translated name when the locale files have one for `figures:<group>.<code>`, else the code. */
function named(group: string, code: string): string {
  const key = `figures:${group}.${code}`;
  return i18n.exists(key) ? t(key) : code;
}

export const modeName = (mode: string) => named('modes', mode);
export const outcomeName = (outcome: string | null) =>
  outcome === null ? t('figures:calls.inProgress') : named('outcomes', outcome);

export { languageName };

/** The agent's wrap-up categories are translated on the agent's page (`agent.categories`). */
export function categoryName(category: string | null): string {
  if (category === null) return '';
  return i18n.exists(`agent.categories.${category}`) ? t(`agent.categories.${category}`) : category;
}
