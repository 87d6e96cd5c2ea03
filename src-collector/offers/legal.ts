import type { ContactKind, OfferProperty } from '../../src-shared/api';
import { sha256Hex } from './files';

export type ConfirmationId =
  | 'cancellation_policy_read'
  | 'early_start'
  | 'commission_notice'
  | 'terms_accepted'
  | 'privacy_read'
  | 'contact_permission';

export interface Confirmation {
  /** stable id, stored in the event's detail.confirmation */
  id: ConfirmationId;
  /** the exact sentence shown beside the checkbox; stored verbatim as evidence */
  wording: string;
  wordingSha256: string;
  /** the downloads wait for every required one; the Kontakterlaubnis is optional */
  required: boolean;
}

/** the buyer pays commission (Außenprovision); older offers said so only by a commission notice */
export function buyerPays(p: OfferProperty): boolean {
  return p.buyerCommission ?? p.commissionNotice !== undefined;
}

/** who the agent is in the wordings: the company, else the agent's name */
export const agentLabel = (p: OfferProperty): string => p.agent.company ?? p.agent.name;

/**
 * What „beauftragte Dienstleistung“ means for this offer, shown on the page beside the form and
 * named in the early-start wording: the Maklervertrag's Nachweis and/or Vermittlung.
 */
export function serviceDescription(p: OfferProperty): string {
  return (
    `Nachweis der Gelegenheit zum Abschluss eines Kaufvertrags über das Objekt ${p.title}` +
    `${p.address ? ` (${p.address})` : ''} und/oder Vermittlung dieses Vertrags durch ${agentLabel(p)}`
  );
}

/**
 * The confirmations the legal form asks this recipient for, in the order shown (at most six),
 * each only where it applies:
 * - Widerrufsbelehrung and the demand for an early start: consumers only, and only when the
 *   buyer pays commission (only then is there a contract with the prospect to withdraw from);
 * - Provisionskenntnis: when the buyer pays commission;
 * - AGB and Datenschutzerklärung: when the account stored them (they travel with the offer);
 * - Kontakterlaubnis: always offered, never required.
 * The wording is built from the offer, so what is stored is exactly what this prospect saw,
 * including the versions of the texts it names.
 */
export function confirmationsFor(p: OfferProperty, kind: ContactKind): Confirmation[] {
  const list: Omit<Confirmation, 'wordingSha256'>[] = [];
  const pays = buyerPays(p);
  const agent = agentLabel(p);
  if (pays && kind === 'consumer') {
    list.push(
      {
        id: 'cancellation_policy_read',
        wording: `Ich habe die Widerrufsbelehrung (Fassung ${p.cancellationPolicy.version}) und das Muster-Widerrufsformular zur Kenntnis genommen.`,
        required: true,
      },
      {
        id: 'early_start',
        wording:
          'Ich verlange ausdrücklich, dass Sie vor Ablauf der Widerrufsfrist mit der Ausführung der beauftragten ' +
          `Dienstleistung (${serviceDescription(p)}) beginnen. Mir ist bekannt, dass ich mein Widerrufsrecht bei ` +
          'vollständiger Vertragserfüllung durch Sie verliere und dass ich im Fall eines Widerrufs einen ' +
          'angemessenen Betrag für die bis dahin erbrachte Dienstleistung zu zahlen habe.',
        required: true,
      },
    );
  }
  if (pays) {
    list.push({
      id: 'commission_notice',
      wording: p.commissionNotice
        ? `Ich habe zur Kenntnis genommen, dass ich als Käufer im Erfolgsfall eine Provision an ${agent} zu zahlen habe. Provisionshinweis: ${p.commissionNotice}`
        : `Ich habe zur Kenntnis genommen, dass ich als Käufer im Erfolgsfall eine Provision an ${agent} zu zahlen habe.`,
      required: true,
    });
  }
  if (p.terms) {
    list.push({
      id: 'terms_accepted',
      wording: `Ich habe die Allgemeinen Geschäftsbedingungen von ${agent} (Fassung ${p.terms.version}) gelesen und bin mit ihrer Geltung einverstanden.`,
      required: true,
    });
  }
  if (p.privacy) {
    list.push({
      id: 'privacy_read',
      wording: `Ich habe die Datenschutzerklärung von ${agent} (Fassung ${p.privacy.version}) zur Kenntnis genommen.`,
      required: true,
    });
  }
  list.push({
    id: 'contact_permission',
    wording:
      `Ich bin einverstanden, dass ${agent} mich per E-Mail und Telefon über weitere passende Immobilienangebote ` +
      'informiert. Diese Einwilligung kann ich jederzeit mit Wirkung für die Zukunft widerrufen.',
    required: false,
  });
  return list.map((c) => ({ ...c, wordingSha256: sha256Hex(c.wording) }));
}
