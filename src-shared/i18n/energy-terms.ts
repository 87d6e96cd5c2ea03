/**
 * Energy certificate words in both UI languages (issue 12 review): what an OpenImmo import or the
 * form still lacks for § 87 GEG, and the energy carriers of OpenImmo's codes. The carrier stored
 * with a property stays German (it is prospect-facing: landing page, e-mail, Exposé); the agent's
 * English view shows the English word beside it.
 */
export type EnergyItem = 'certificateType' | 'value' | 'carrier' | 'constructionYear' | 'efficiencyClass';

export const ENERGY_ITEMS: Record<'de' | 'en', Record<EnergyItem, string>> = {
  de: {
    certificateType: 'Art des Energieausweises',
    value: 'Energiekennwert',
    carrier: 'wesentlicher Energieträger',
    constructionYear: 'Baujahr',
    efficiencyClass: 'Energieeffizienzklasse',
  },
  en: {
    certificateType: 'type of certificate',
    value: 'energy value',
    carrier: 'main energy carrier',
    constructionYear: 'year of construction',
    efficiencyClass: 'efficiency class',
  },
};

/** OpenImmo's befeuerung / primaerenergietraeger codes: the German word stored, the English one shown to the agent */
export const ENERGY_CARRIERS: Record<string, { de: string; en: string }> = {
  OEL: { de: 'Öl', en: 'oil' },
  GAS: { de: 'Gas', en: 'gas' },
  ERDGAS: { de: 'Erdgas', en: 'natural gas' },
  FLUESSIGGAS: { de: 'Flüssiggas', en: 'liquefied gas' },
  ELEKTRO: { de: 'Strom', en: 'electricity' },
  STROM: { de: 'Strom', en: 'electricity' },
  ALTERNATIV: { de: 'alternativ', en: 'alternative' },
  SOLAR: { de: 'Solarenergie', en: 'solar energy' },
  ERDWAERME: { de: 'Erdwärme', en: 'geothermal' },
  LUFTWP: { de: 'Luft-Wärmepumpe', en: 'air-source heat pump' },
  FERN: { de: 'Fernwärme', en: 'district heating' },
  FERNWAERME: { de: 'Fernwärme', en: 'district heating' },
  BLOCK: { de: 'Blockheizkraftwerk', en: 'combined heat and power plant' },
  WASSER_ELEKTRO: { de: 'Wasser-Elektro', en: 'electric water heating' },
  PELLET: { de: 'Holzpellets', en: 'wood pellets' },
  KOHLE: { de: 'Kohle', en: 'coal' },
  HOLZ: { de: 'Holz', en: 'wood' },
};

/** the English word for a stored German carrier text, when it is one of OpenImmo's (a list: each) */
export function carrierInEnglish(stored: string): string | null {
  const parts = stored.split(',').map((p) => p.trim());
  const en = parts.map((p) => Object.values(ENERGY_CARRIERS).find((c) => c.de === p)?.en ?? null);
  return en.every((w) => w !== null) && parts.length > 0 ? en.join(', ') : null;
}
