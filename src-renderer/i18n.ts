import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { de } from './locales/de';
import { en } from './locales/en';
import { firstHourDe } from './locales/first-hour.de';
import { firstHourEn } from './locales/first-hour.en';
import { listCountDe } from './locales/list-count.de';
import { listCountEn } from './locales/list-count.en';

export type Language = 'de' | 'en';

export function initI18n(language: Language = 'de'): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: {
      de: { translation: { ...de, firstHour: firstHourDe, listCount: listCountDe } },
      en: { translation: { ...en, firstHour: firstHourEn, listCount: listCountEn } },
    },
    lng: language,
    fallbackLng: 'de',
    // React escapes; double escaping would show &quot; in names
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return i18next;
}
