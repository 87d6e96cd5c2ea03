import { CONSENT_WORDING_VERSION } from '../../src-shared/consent';
import { sha256Hex } from '../../src-shared/evidence/canonical';

/**
 * The prospect-facing wording of the consent and of its withdrawal (German: the prospects are
 * German; § 25 Abs. 1 TDDDG, Art. 6 Abs. 1 lit. a and Art. 7 Abs. 3 DSGVO). What the prospect
 * saw is stored with every record, with its SHA-256 and version.
 */
export interface Wording {
  text: string;
  sha256: string;
  version: string;
}

function wording(text: string): Wording {
  return { text, sha256: sha256Hex(text), version: CONSENT_WORDING_VERSION };
}

export function consentWording(sender: string): Wording {
  return wording(
    `Ich willige ein, dass ${sender} erfasst, ob und wann ich E-Mails von ${sender} öffne, welche Links darin ` +
      'ich anklicke und was ich auf den verlinkten Angebotsseiten aufrufe. Dazu lädt mein E-Mail-Programm ' +
      'beim Öffnen ein unsichtbares Bild vom Server des Absenders, und Links führen über diesen Server. ' +
      'Die Einwilligung ist freiwillig. Ich kann sie jederzeit mit Wirkung für die Zukunft widerrufen, ' +
      'über den Link „Tracking widerrufen“ in den E-Mails oder auf dieser Seite.',
  );
}

export function withdrawalWording(sender: string): Wording {
  return wording(
    `Ich widerrufe meine Einwilligung, dass ${sender} erfasst, ob ich E-Mails öffne und Links anklicke. ` +
      'Ab jetzt wird das nicht mehr erfasst.',
  );
}
