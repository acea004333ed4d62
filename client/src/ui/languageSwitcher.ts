import { i18n, setLanguage, t, translateDom, UI_LANGUAGES, type UiLanguage } from '../i18n';
import { h } from './dom';

/** A labelled select of UI languages, each named in its own language. */
export function mountLanguageSwitcher(container: HTMLElement, onChange: () => void): void {
  const select = h('select', { id: 'ui-language' });
  for (const lng of UI_LANGUAGES) {
    const own = new Intl.DisplayNames([lng], { type: 'language' }).of(lng) ?? lng;
    select.append(
      h('option', { value: lng, lang: lng, ...(lng === i18n.language && { selected: true }) }, own),
    );
  }
  const label = h('label', { for: 'ui-language', 'data-i18n': 'app.uiLanguage' }, t('app.uiLanguage'));
  select.addEventListener('change', () => {
    void setLanguage(select.value as UiLanguage).then(() => {
      translateDom();
      onChange();
    });
  });
  container.append(label, select);
}
