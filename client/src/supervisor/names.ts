// Display names for the codes the API returns: shifts, languages, modes, outcomes.
import { i18n, languageName, t, type Resources } from '../i18n';

// The codes the locale files name: a code the server sends is looked up only once i18n.exists says
// the English files have it, so each template below ranges over English keys that tsc knows.
type ShiftCode = keyof Resources['supervisor']['figures']['shifts'];
type ModeCode = keyof Resources['figures']['modes'];
type OutcomeCode = keyof Resources['figures']['outcomes'];
type CategoryCode = keyof Resources['translation']['agent']['categories'];

/** The default shifts have translated names; a centre's own shift names are shown as configured. */
export function shiftName(shift: string | null): string {
  if (shift === null || shift === '') return t('supervisor:figures.noShift');
  return i18n.exists(`supervisor:figures.shifts.${shift}`)
    ? t(`supervisor:figures.shifts.${shift as ShiftCode}`)
    : shift;
}

/** A translated name when the locale files have one, else the code. */
export const modeName = (mode: string) =>
  i18n.exists(`figures:modes.${mode}`) ? t(`figures:modes.${mode as ModeCode}`) : mode;
export const outcomeName = (outcome: string | null) => {
  if (outcome === null) return t('figures:calls.inProgress');
  return i18n.exists(`figures:outcomes.${outcome}`)
    ? t(`figures:outcomes.${outcome as OutcomeCode}`)
    : outcome;
};

export { languageName };

/** The agent's wrap-up categories are translated on the agent's page (`agent.categories`). */
export function categoryName(category: string | null): string {
  if (category === null) return '';
  return i18n.exists(`agent.categories.${category}`)
    ? t(`agent.categories.${category as CategoryCode}`)
    : category;
}
