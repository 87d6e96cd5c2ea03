import { berlinTimeDe } from './berlin-time';

/**
 * The confirmation of a prospect's declarations (§ 312f Abs. 2 BGB). German only, unlike the offer
 * mail: it repeats word for word what the prospect declared on the landing page, and that page
 * and its declarations are German (src-collector/offers/render.ts); a confirmation in another
 * language than the declaration would not be the same declaration.
 */
export const CONFIRMATION_DE = {
  pdfName: 'Widerrufsbelehrung und Muster-Widerrufsformular.pdf',
  when: berlinTimeDe,
  subject: (title: string) => `Bestätigung Ihrer Angaben – ${title}`,
  intro: (when: string, object: string) =>
    `vielen Dank für Ihr Interesse. Hiermit bestätigen wir Ihnen, was Sie am ${when} auf Ihrer persönlichen Angebotsseite zum Objekt ${object} erklärt haben:`,
  pdfNote: (version: string, pdfName: string) =>
    `Die Widerrufsbelehrung (Fassung ${version}) und das Muster-Widerrufsformular finden Sie im Anhang dieser E-Mail als PDF („${pdfName}“) und unten im Wortlaut.`,
  declaredAt: 'Zeitpunkt Ihrer Erklärung',
} as const;
