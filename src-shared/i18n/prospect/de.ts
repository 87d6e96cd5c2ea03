import type { ProspectTexts } from './types';

export const prospectDe: ProspectTexts = {
  locale: 'de-DE',
  htmlLang: 'de',
  greeting: (name) => (name ? `Guten Tag ${name},` : 'Guten Tag,'),
  closing: 'Mit freundlichen Grüßen',
  phone: (n) => `Telefon ${n}`,
  offer: {
    subject: (title) => `Ihr Angebot: ${title}`,
    intro: (title) => `gerne sende ich Ihnen das Angebot zu „${title}“.`,
    button: 'Ihr persönliches Angebot ansehen',
    pageHolds: (withUnits) =>
      `Dort finden Sie Bilder, Grundrisse, das Exposé${withUnits ? ' und alle Einheiten' : ''}.`,
    linkLine: (url) => `Ihr persönliches Angebot: ${url}`,
    sentCopyNote:
      'Jeder Empfänger erhält einen persönlichen Link zu seiner Angebotsseite (in dieser Ablagekopie nicht enthalten).',
    policyHeading: (label, attachment) =>
      `Widerrufsbelehrung (Fassung ${label}) und Muster-Widerrufsformular – auch als PDF im Anhang („${attachment}“):`,
    previewLink: 'https://…/l/persönlicher-link',
  },
  facts: {
    address: 'Adresse',
    price: 'Kaufpreis',
    area: 'Wohnfläche',
    rooms: 'Zimmer',
    unitRooms: (n) => `${n} Zi.`,
    sold: 'verkauft',
    reserved: 'reserviert',
  },
  project: {
    units: 'Einheiten',
    unitCount: (total, free) => `${total} ${total === 1 ? 'Einheit' : 'Einheiten'}, davon ${free} frei`,
    prices: 'Kaufpreise',
    priceFrom: (amount) => `ab ${amount}`,
    areas: 'Wohnflächen',
    rooms: 'Zimmer',
  },
  energy: {
    certificate: 'Energieausweis',
    pending:
      'Ein Energieausweis liegt noch nicht vor. Er wird spätestens bei der Besichtigung vorgelegt (§ 80 Abs. 4 GEG).',
    notRequired:
      'Für dieses Gebäude ist kein Energieausweis erforderlich (§ 79 Abs. 4 GEG, z. B. Baudenkmal).',
    demand: 'Bedarfsausweis',
    consumption: 'Verbrauchsausweis',
    typeUnknown: 'vorhanden (Art nicht angegeben)',
    demandValue: 'Endenergiebedarf',
    consumptionValue: 'Endenergieverbrauch',
    withHotWater: ' (inkl. Warmwasser)',
    withoutHotWater: ' (ohne Warmwasser)',
    heatValue: 'Wärmewert',
    powerValue: 'Stromwert',
    carrier: 'Wesentlicher Energieträger',
    constructionYear: 'Baujahr (laut Energieausweis)',
    efficiencyClass: 'Energieeffizienzklasse',
    issuedOn: 'Ausgestellt am',
    validUntil: 'Gültig bis',
    date: (iso) => {
      const [y, m, d] = iso.split('-');
      return `${d}.${m}.${y}`;
    },
  },
  footer: {
    consentQuestion:
      'Dürfen wir sehen, ob unsere E-Mails Sie erreichen und welche Angebote Sie interessieren?',
    consentOnly: 'Das geschieht nur mit Ihrer Einwilligung',
    consentAction: 'Einwilligung erteilen',
    trackedNotice: 'Diese E-Mail erfasst, ob sie geöffnet und ihre Links angeklickt werden.',
    withdrawAction: 'Tracking widerrufen',
  },
};
