import type { OfferProperty } from '../../src-shared/api';
import { sha256Hex } from './files';

export interface Confirmation {
  /** stable id, stored in the event's detail.confirmation */
  id: 'cancellation_policy_read' | 'early_start' | 'commission_notice';
  /** the exact sentence shown beside the checkbox; stored verbatim as evidence */
  wording: string;
  wordingSha256: string;
}

/**
 * The confirmations the legal form asks for. The wording is built from the offer, so what is
 * stored is exactly what this prospect saw, including the policy version and the agent's
 * commission notice.
 */
export function confirmationsFor(p: OfferProperty): Confirmation[] {
  const list: Omit<Confirmation, 'wordingSha256'>[] = [
    {
      id: 'cancellation_policy_read',
      wording: `Ich habe die Widerrufsbelehrung (Fassung ${p.cancellationPolicy.version}) gelesen.`,
    },
    {
      id: 'early_start',
      wording:
        'Ich verlange ausdrücklich, dass Sie vor Ablauf der Widerrufsfrist mit der Ausführung der beauftragten ' +
        'Dienstleistung beginnen. Mir ist bekannt, dass ich mein Widerrufsrecht bei vollständiger Vertragserfüllung ' +
        'durch Sie verliere (§ 356 Abs. 4 BGB).',
    },
  ];
  if (p.commissionNotice) {
    list.push({
      id: 'commission_notice',
      wording: `Ich habe den Provisionshinweis zur Kenntnis genommen: „${p.commissionNotice}“`,
    });
  }
  return list.map((c) => ({ ...c, wordingSha256: sha256Hex(c.wording) }));
}
