import 'i18next';
import type figures from '../../locales/en/figures.json';
import type languageNames from '../../locales/en/languageNames.json';
import type ledger from '../../locales/en/ledger.json';
import type presence from '../../locales/en/presence.json';
import type staffing from '../../locales/en/staffing.json';
import type supervisor from '../../locales/en/supervisor.json';
import type translation from '../../locales/en/translation.json';
import type volunteer from '../../locales/en/volunteer.json';

/**
 * Translation keys are checked by tsc against the English files (every locale has the same keys:
 * the completeness test checks), so a key English lacks does not compile. A namespace file added
 * under locales/en/ is added here too.
 */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: {
      translation: typeof translation;
      languageNames: typeof languageNames;
      figures: typeof figures;
      ledger: typeof ledger;
      presence: typeof presence;
      staffing: typeof staffing;
      supervisor: typeof supervisor;
      volunteer: typeof volunteer;
    };
  }
}
