/**
 * The languages the centre offers interpretation in: foreign residents' most common ones (the
 * 1345 line's list), each bridged to Korean by a volunteer. Matching accepts any BCP-47 tag; this
 * is only what the pickers show.
 */
export const INTERPRETED_LANGUAGES = [
  'vi',
  'zh-CN',
  'en',
  'th',
  'tl',
  'km',
  'mn',
  'ru',
  'ja',
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

/** Korean, the language every interpreted call is bridged to. */
export const BRIDGE_LANGUAGE = 'ko';
/** Korean Sign Language. */
export const KOREAN_SIGN_LANGUAGE = 'kvk';
