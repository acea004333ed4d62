import i18next from 'i18next';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Every `locales/<lng>/<namespace>.json`, bundled: `translation` is shared, others belong to one page. */
const files = import.meta.glob<Record<string, unknown>>('../../locales/*/*.json', {
  eager: true,
  import: 'default',
});
const resources: Resources = {};
for (const [file, data] of Object.entries(files)) {
  const [, lng, ns] = /locales\/([^/]+)\/([^/]+)\.json$/.exec(file) ?? [];
  if (lng && ns) (resources[lng] ??= {})[ns] = data;
}

/** UI languages with complete translations. The language a caller needs is a different thing. */
export const UI_LANGUAGES = [
  'ko',
  'en',
  'zh-CN',
  'vi',
  'th',
  'tl',
  'km',
  'mn',
  'ru',
  'ja',
  'lo',
  'uz',
  'ne',
  'id',
  'my',
  'si',
  'bn',
  'fr',
  'ar',
  'ur',
] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
const STORAGE_KEY = 'relay.uiLanguage';
const RTL = new Set(['ar', 'ur', 'he', 'fa']);

/** The UI language for a BCP-47 tag, if we have one (zh-Hans → zh-CN, fil → tl; zh-Hant has none). */
export function uiLanguageFor(tag: string): UiLanguage | null {
  const [base = '', ...subtags] = tag.toLowerCase().split('-');
  // Our Chinese is Simplified: zh, zh-CN, zh-SG, zh-Hans(-*) use it; zh-TW/HK/MO/Hant have none.
  if (base === 'zh') return subtags.some((s) => ['hant', 'tw', 'hk', 'mo'].includes(s)) ? null : 'zh-CN';
  // Browsers name Filipino "fil"; our folder is "tl".
  const code = base === 'fil' ? 'tl' : base;
  return (UI_LANGUAGES as readonly string[]).includes(code) ? (code as UiLanguage) : null;
}

function initialLanguage(): UiLanguage {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && (UI_LANGUAGES as readonly string[]).includes(stored)) return stored as UiLanguage;
  for (const lang of navigator.languages) {
    const match = uiLanguageFor(lang);
    if (match) return match;
  }
  return 'ko';
}

export const i18n = i18next.createInstance();

export async function initI18n(): Promise<void> {
  await i18n.init({
    lng: initialLanguage(),
    fallbackLng: 'en',
    supportedLngs: [...UI_LANGUAGES],
    resources,
    ns: [...new Set(Object.values(resources).flatMap((r) => Object.keys(r)))],
    defaultNS: 'translation',
    interpolation: { escapeValue: false },
  });
  applyDocumentLanguage();
}

export const t = (key: string, options?: Record<string, unknown>): string => i18n.t(key, options);

function applyDocumentLanguage(): void {
  document.documentElement.lang = i18n.language;
  document.documentElement.dir = RTL.has(i18n.language) ? 'rtl' : 'ltr';
}

/** Fills every `[data-i18n]` element under root (text), and attributes named in `[data-i18n-attr]` ("attribute:key;…"). */
export function translateDom(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = t(el.dataset['i18n'] ?? '');
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of (el.dataset['i18nAttr'] ?? '').split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

export async function setLanguage(lng: UiLanguage): Promise<void> {
  localStorage.setItem(STORAGE_KEY, lng);
  await i18n.changeLanguage(lng);
  applyDocumentLanguage();
}

/** A language's own name for a BCP-47 tag, in the UI language, from Intl where it knows it. */
export function languageName(tag: string): string {
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([i18n.language], { type: 'language', fallback: 'none' }).of(tag);
  } catch {
    name = undefined;
  }
  // Intl does not know every sign language (kvk); the locale files name those.
  return name ?? (i18n.exists(`languages.${tag}`) ? t(`languages.${tag}`) : tag);
}

/** A wait or duration in whole minutes, in the UI language (no string concatenation). */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return t('duration.lessThanMinute');
  return new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(
    minutes,
  );
}
