import type { ProspectTexts } from './types';

/**
 * For prospects who do not read German. The property's own data (its title, the energy carrier
 * as imported) stays as the agent entered it; § 87 GEG's items are named in English here, the
 * figures are the same.
 */
export const prospectEn: ProspectTexts = {
  locale: 'en-GB',
  htmlLang: 'en',
  greeting: (name) => (name ? `Dear ${name},` : 'Hello,'),
  closing: 'Kind regards',
  phone: (n) => `Phone ${n}`,
  offer: {
    subject: (title) => `Your offer: ${title}`,
    intro: (title) => `Please find the offer for “${title}” below.`,
    button: 'View your personal offer',
    pageHolds: (withUnits) =>
      `There you will find photos, floor plans, the exposé${withUnits ? ' and all units' : ''}.`,
    linkLine: (url) => `Your personal offer: ${url}`,
    sentCopyNote:
      'Each recipient receives a personal link to their own offer page (not included in this filed copy).',
    policyHeading: (label, attachment) =>
      `Cancellation policy (Widerrufsbelehrung, version ${label}) and model withdrawal form, in German, the legally binding wording – also attached as PDF (“${attachment}”):`,
    previewLink: 'https://…/l/personal-link',
  },
  facts: {
    address: 'Address',
    price: 'Purchase price',
    area: 'Living space',
    rooms: 'Rooms',
    unitRooms: (n) => `${n} rooms`,
    sold: 'sold',
    reserved: 'reserved',
  },
  project: {
    units: 'Units',
    unitCount: (total, free) => `${total} ${total === 1 ? 'unit' : 'units'}, ${free} available`,
    prices: 'Purchase prices',
    priceFrom: (amount) => `from ${amount}`,
    areas: 'Living space',
    rooms: 'Rooms',
  },
  energy: {
    certificate: 'Energy performance certificate',
    pending:
      'There is no energy performance certificate yet. It will be presented at the viewing at the latest (§ 80 (4) GEG).',
    notRequired:
      'This building does not need an energy performance certificate (§ 79 (4) GEG, e.g. a listed building).',
    demand: 'Energy demand certificate (Bedarfsausweis)',
    consumption: 'Energy consumption certificate (Verbrauchsausweis)',
    typeUnknown: 'available (type not stated)',
    demandValue: 'Final energy demand',
    consumptionValue: 'Final energy consumption',
    withHotWater: ' (incl. hot water)',
    withoutHotWater: ' (excl. hot water)',
    heatValue: 'Heat value',
    powerValue: 'Electricity value',
    carrier: 'Main energy carrier',
    constructionYear: 'Year of construction (per certificate)',
    efficiencyClass: 'Energy efficiency class',
    issuedOn: 'Issued on',
    validUntil: 'Valid until',
    date: (iso) => {
      const [y, m, d] = iso.split('-');
      return `${d}/${m}/${y}`;
    },
  },
  footer: {
    consentQuestion: 'May we see whether our e-mails reach you and which offers interest you?',
    consentOnly: 'Only with your consent',
    consentAction: 'Give consent',
    trackedNotice: 'This e-mail records whether it is opened and its links are clicked.',
    withdrawAction: 'Withdraw tracking',
  },
};
