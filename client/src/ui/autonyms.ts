import type { UiLanguage } from '../i18n';

/**
 * Each UI language's name for itself, for the language picker: fixed text, because a browser
 * without data for a language (Chromium: km, my, mn, si) would show its code, and a reader must
 * find their language whatever the page is in now.
 */
export const AUTONYMS: Record<UiLanguage, string> = {
  ko: '한국어',
  en: 'English',
  'zh-CN': '简体中文',
  vi: 'Tiếng Việt',
  th: 'ไทย',
  tl: 'Filipino',
  km: 'ខ្មែរ',
  mn: 'Монгол',
  ru: 'Русский',
  ja: '日本語',
  lo: 'ລາວ',
  uz: 'Oʻzbekcha',
  ne: 'नेपाली',
  id: 'Bahasa Indonesia',
  my: 'မြန်မာ',
  si: 'සිංහල',
  bn: 'বাংলা',
  fr: 'Français',
  ar: 'العربية',
  ur: 'اردو',
};
