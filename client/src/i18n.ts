import i18next, { type CustomTypeOptions, type ParseKeys } from 'i18next';
import { localeBackend, NAMESPACES, type Namespace } from './localeBackend';

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

/** The English locale files' shapes, as tsc reads them (client/src/i18next.d.ts). */
export type Resources = CustomTypeOptions['resources'];

export const i18n = i18next.createInstance();

/**
 * Loads the UI language and English (the fallback) only, each namespace a chunk of its own.
 * `namespaces`: what this page shows (`languageNames` is always loaded); every namespace if absent.
 */
export async function initI18n(namespaces: readonly Namespace[] = NAMESPACES): Promise<void> {
  await i18n.use(localeBackend).init({
    lng: initialLanguage(),
    fallbackLng: 'en',
    supportedLngs: [...UI_LANGUAGES],
    // zh-CN is a folder of its own: never ask for a bare "zh".
    load: 'currentOnly',
    ns: [...new Set<Namespace>([...namespaces, 'languageNames'])],
    defaultNS: 'translation',
    interpolation: { escapeValue: false },
  });
  applyDocumentLanguage();
}

/** Typed by the English locale files (client/src/i18next.d.ts): an unknown key does not compile. */
export const t = i18n.t.bind(i18n) as typeof i18n.t;

/** Any key of any namespace (`figures:columns.calls`, or `call.timer` in `translation`), as tsc knows them. */
export type TranslationKey = ParseKeys<['translation', ...Exclude<keyof Resources, 'translation'>[]]>;

/** For keys read from markup (`data-i18n`), which tsc cannot see; the completeness test reads them. */
const translateMarkupKey = (key: string, options?: Record<string, unknown>): string =>
  String(i18n.t(key as never, options as never));

/** Values interpolated into a text that translateDom renders again after a language change. */
export type TextValues = Record<string, string | number>;

/**
 * Sets an element's text from a key and remembers both (`data-i18n`, `data-i18n-values`), so the
 * next language change re-renders it like the markup's own texts instead of leaving the old language.
 */
export function setTranslatedText(el: HTMLElement, key: TranslationKey, values?: TextValues): void {
  el.dataset['i18n'] = key;
  if (values) el.dataset['i18nValues'] = JSON.stringify(values);
  else delete el.dataset['i18nValues'];
  el.textContent = translateMarkupKey(key, values);
}

function applyDocumentLanguage(): void {
  document.documentElement.lang = i18n.language;
  document.documentElement.dir = RTL.has(i18n.language) ? 'rtl' : 'ltr';
}

/** Fills every `[data-i18n]` element under root (text), and attributes named in `[data-i18n-attr]` ("attribute:key;…"). */
export function translateDom(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const values = el.dataset['i18nValues'];
    el.textContent = translateMarkupKey(
      el.dataset['i18n'] ?? '',
      values ? (JSON.parse(values) as TextValues) : undefined,
    );
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of (el.dataset['i18nAttr'] ?? '').split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr, translateMarkupKey(key));
    }
  }
}

export async function setLanguage(lng: UiLanguage): Promise<void> {
  localStorage.setItem(STORAGE_KEY, lng);
  await i18n.changeLanguage(lng);
  applyDocumentLanguage();
}

/**
 * A language's name for a BCP-47 tag, in the UI language: from Intl where the browser has data for
 * the UI language, else from `languageNames` (Chromium has none for km, my, mn, si, and names no
 * sign language), else the tag itself.
 */
export function languageName(tag: string): string {
  const fromIntl = intlLanguageName(tag, i18n.language);
  if (fromIntl) return fromIntl;
  const key = `languageNames:${tag}`;
  return i18n.exists(key) ? translateMarkupKey(key) : tag;
}

function intlLanguageName(tag: string, uiLanguage: string): string | undefined {
  try {
    const names = new Intl.DisplayNames([uiLanguage], { type: 'language', fallback: 'none' });
    // Without data for the UI language, Intl answers from another locale (mixing languages) or
    // from root, which names a language by its code.
    if (uiLanguageFor(names.resolvedOptions().locale) !== uiLanguage) return undefined;
    const name = names.of(tag);
    return name && name.toLowerCase() !== tag.toLowerCase() ? name : undefined;
  } catch {
    return undefined;
  }
}

/** A wait or duration in whole minutes, in the UI language (no string concatenation). */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return t('duration.lessThanMinute');
  return new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(
    minutes,
  );
}
