import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { de } from './locales/de';
import { firstHourDe } from './locales/first-hour.de';
import { listCountDe } from './locales/list-count.de';

export type Language = 'de' | 'en';

/**
 * German is in the first bundle; English is a chunk of its own, loaded when the settings ask for
 * it (issue 12: both catalogues were a sixth of the code every list open parsed and evaluated).
 */
const english = (): Promise<Record<string, unknown>> => import('./locales/english').then((m) => m.english);

let switching: Promise<void> = Promise.resolve();

export function initI18n(): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { de: { translation: { ...de, firstHour: firstHourDe, listCount: listCountDe } } },
    lng: 'de',
    fallbackLng: 'de',
    // React escapes; double escaping would show &quot; in names
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return i18next;
}

/** a language's catalogue in place (German always is) */
export async function loadLanguage(language: Language): Promise<void> {
  if (i18next.hasResourceBundle(language, 'translation')) return;
  i18next.addResourceBundle(language, 'translation', await english());
}

/** switches the UI language, loading its catalogue first; resolves once the texts are in place */
export function setLanguage(language: Language): Promise<void> {
  const next = switching.then(async () => {
    await loadLanguage(language);
    await i18next.changeLanguage(language);
  });
  // one failed load (a chunk the host could not serve) does not block later switches
  switching = next.catch(() => undefined);
  return next;
}

/** the last language switch asked for is done (or failed) */
export function languageSettled(): Promise<void> {
  return switching;
}
