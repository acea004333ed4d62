import fs from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';

/**
 * The caller's wait estimate is a whole sentence per case ("less than a minute" is its own key, not a
 * duration slotted into "about …"), with the plural forms each language needs: rendered here with
 * i18next itself, from the locale files the client ships.
 */
const locales = fs.readdirSync('locales');
const resources = Object.fromEntries(
  locales.map((lng) => [
    lng,
    {
      translation: JSON.parse(
        fs.readFileSync(path.join('locales', lng, 'translation.json'), 'utf8'),
      ) as object,
    },
  ]),
);
const i18n = i18next.createInstance();
await i18n.init({ resources, lng: 'en', fallbackLng: false, interpolation: { escapeValue: false } });

describe('wait estimates, phrased per language', () => {
  it.each(locales)('%s: N minutes in every plural form the language has, never "about less than"', (lng) => {
    const t = i18n.getFixedT(lng);
    const under = t('caller.estimateUnderMinute');
    const lessThanMinute = t('duration.lessThanMinute');
    expect(under).not.toBe('caller.estimateUnderMinute');
    // Counts that reach every CLDR category of our languages (Arabic's zero…many, Russian's few/many).
    for (const count of [1, 2, 3, 5, 11, 21, 100]) {
      const text = t('caller.estimateMinutes', { count });
      expect(text, `${lng} ${count}`).not.toMatch(/\{\{|caller\.estimate/);
      // A count the sentence writes out in words (Arabic's one and two) need not show the digit.
      if (!(lng === 'ar' && count <= 2)) expect(text, `${lng} ${count}`).toContain(String(count));
      // The under-a-minute wording never appears inside a minutes sentence.
      expect(text).not.toContain(lessThanMinute);
    }
    const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
    const caller = (resources[lng]!.translation as { caller: Record<string, unknown> }).caller;
    for (const category of categories) {
      expect(caller[`estimateMinutes_${category}`], `${lng} ${category}`).toBeTypeOf('string');
    }
  });
});
