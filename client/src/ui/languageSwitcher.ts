import { i18n, setLanguage, t, translateDom, UI_LANGUAGES, type UiLanguage } from '../i18n';
import { h } from './dom';
import { AUTONYMS } from './autonyms';

/**
 * A labelled select of UI languages, each named in its own language. A change loads the new
 * language's files first and only then re-renders, so the page never shows two languages.
 */
export function mountLanguageSwitcher(container: HTMLElement, onChange: () => void): void {
  const select = h('select', { id: 'ui-language' });
  for (const lng of UI_LANGUAGES) {
    select.append(
      h('option', { value: lng, lang: lng, ...(lng === i18n.language && { selected: true }) }, AUTONYMS[lng]),
    );
  }
  const label = h('label', { for: 'ui-language', 'data-i18n': 'app.uiLanguage' }, t('app.uiLanguage'));
  select.addEventListener('change', () => {
    const chosen = select.value as UiLanguage;
    void setLanguage(chosen).then(() => {
      // A later choice made while this one loaded renders itself; this one would only flash.
      if (select.value !== chosen) return;
      translateDom();
      onChange();
    });
  });
  container.append(label, select);
}
