/**
 * What Blitz writes to a prospect in its own words (the offer mail, the tracking notes under a
 * mail, the figures of a property), in the language the agent chose for the send. The agent's
 * own words (subject, intro, body) and the statutory texts are not translated: the
 * Widerrufsbelehrung stays German, its German wording is the one the law gives.
 */
export const PROSPECT_LANGUAGES = ['de', 'en'] as const;
export type ProspectLanguage = (typeof PROSPECT_LANGUAGES)[number];

export interface ProspectTexts {
  /** BCP 47 tag for Intl (numbers, money, dates) */
  locale: string;
  /** the `lang` of a mail's HTML */
  htmlLang: string;
  greeting(name: string | null): string;
  closing: string;
  phone(number: string): string;
  offer: {
    subject(title: string): string;
    intro(title: string): string;
    button: string;
    /** under the button: what the page holds */
    pageHolds(withUnits: boolean): string;
    /** the text part's line with the prospect's link */
    linkLine(url: string): string;
    /** the Sent copy in place of a link: each prospect has their own */
    sentCopyNote: string;
    /** the heading above the Widerrufsbelehrung in the mail */
    policyHeading(label: string, attachment: string): string;
    /** what a preview shows in place of a prospect's link */
    previewLink: string;
  };
  facts: {
    address: string;
    price: string;
    area: string;
    rooms: string;
    /** one unit's figures in the mail's list */
    unitRooms(n: string): string;
    sold: string;
    reserved: string;
  };
  project: {
    units: string;
    unitCount(total: number, free: number): string;
    prices: string;
    priceFrom(amount: string): string;
    areas: string;
    rooms: string;
  };
  energy: {
    certificate: string;
    pending: string;
    notRequired: string;
    demand: string;
    consumption: string;
    typeUnknown: string;
    demandValue: string;
    consumptionValue: string;
    withHotWater: string;
    withoutHotWater: string;
    heatValue: string;
    powerValue: string;
    carrier: string;
    constructionYear: string;
    efficiencyClass: string;
    issuedOn: string;
    validUntil: string;
    /** a date of the certificate, ISO yyyy-mm-dd in */
    date(iso: string): string;
  };
  /** issue 17: the notes under a copy about tracking */
  footer: {
    consentQuestion: string;
    consentOnly: string;
    consentAction: string;
    trackedNotice: string;
    withdrawAction: string;
  };
}
