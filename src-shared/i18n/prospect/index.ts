import { prospectDe } from './de';
import { prospectEn } from './en';
import type { ProspectLanguage, ProspectTexts } from './types';

export { PROSPECT_LANGUAGES, type ProspectLanguage, type ProspectTexts } from './types';

const CATALOGUES: Record<ProspectLanguage, ProspectTexts> = { de: prospectDe, en: prospectEn };

/** the words Blitz writes to a prospect in `lang` (German when none was chosen) */
export function prospectTexts(lang: ProspectLanguage = 'de'): ProspectTexts {
  return CATALOGUES[lang];
}

export interface ProspectFormats {
  /** whole euros: „289.000 €“ / “€289,000” */
  eur: Intl.NumberFormat;
  /** up to two decimals: areas, rooms */
  num: Intl.NumberFormat;
  /** one decimal: energy values */
  num1: Intl.NumberFormat;
}
const FORMATS = new Map<ProspectLanguage, ProspectFormats>();

/** the number formats of `lang`, built once per language (a landing page renders per request) */
export function prospectFormats(lang: ProspectLanguage = 'de'): ProspectFormats {
  let f = FORMATS.get(lang);
  if (!f) {
    const { locale } = CATALOGUES[lang];
    f = {
      eur: new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }),
      num: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }),
      num1: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }),
    };
    FORMATS.set(lang, f);
  }
  return f;
}
