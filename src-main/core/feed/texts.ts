import type { EventDetail, EventType } from '../../../src-shared/events';

/**
 * The German feed and notification texts of DESIGN.md, in one place. Pure functions without
 * Node imports, so the renderer may mirror or import them.
 */
export const SOMEONE = 'Jemand';

/** shown when the only opens are Apple Mail Privacy Protection prefetches */
export const APPLE_PREFETCH_SUMMARY = 'zugestellt an Apple Mail – Öffnen nicht feststellbar';

/** `https://www.example.org/objekt/123?x` → `example.org/…`; a bare host stays bare */
export function linkLabel(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname.replace(/^www\./, '');
    const rest = u.pathname !== '/' || u.search !== '' || u.hash !== '';
    return rest ? `${host}/…` : host;
  } catch {
    return url.length > 40 ? `${url.slice(0, 39)}…` : url;
  }
}

export const HONEYPOT_TEXT = 'Ein automatischer Prüfer folgte dem versteckten Kontroll-Link';

/** „Anna Beispiel öffnete die E-Mail“; `person` null means a shared tracker („Jemand“) */
export function eventText(
  type: EventType,
  person: string | null,
  detail: Pick<EventDetail, 'url' | 'document' | 'unit' | 'confirmation' | 'honeypot'>,
): string {
  // nobody sees the hidden control link: whatever followed it was a machine, not the person
  if (detail.honeypot) return HONEYPOT_TEXT;
  const who = person ?? SOMEONE;
  switch (type) {
    case 'email.opened':
      return `${who} öffnete die E-Mail`;
    case 'email.link_clicked':
    case 'landing.link_opened':
      return detail.url ? `${who} öffnete den Link ${linkLabel(detail.url)}` : `${who} öffnete einen Link`;
    case 'landing.visited':
      return `${who} besuchte die Landing Page`;
    case 'landing.document_downloaded':
      return detail.document
        ? `${who} lud ‚${detail.document}‘ herunter`
        : `${who} lud ein Dokument herunter`;
    case 'landing.unit_liked':
      return detail.unit ? `${who} merkte sich Einheit ${detail.unit}` : `${who} merkte sich eine Einheit`;
    case 'landing.unit_unliked':
      return detail.unit
        ? `${who} entfernte Einheit ${detail.unit} aus der Merkliste`
        : `${who} entfernte eine Einheit aus der Merkliste`;
    case 'landing.expose_downloaded':
      return `${who} lud das Exposé herunter`;
    case 'landing.cancellation_policy_opened':
      return `${who} öffnete die Widerrufsbelehrung`;
    case 'landing.legal_confirmed':
      return confirmationText(who, detail.confirmation);
    case 'landing.confirmation_sent':
      return person ? `Bestätigung an ${person} gesendet` : 'Bestätigung gesendet';
  }
}

/** the legal form's confirmations (src-collector/offers/legal.ts), one sentence each */
export const CONFIRMATION_TEXTS: Record<string, (who: string) => string> = {
  cancellation_policy_read: (who) => `${who} bestätigte, die Widerrufsbelehrung gelesen zu haben`,
  early_start: (who) => `${who} verlangte den Beginn vor Ablauf der Widerrufsfrist (§ 356 Abs. 4 BGB)`,
  commission_notice: (who) => `${who} bestätigte den Provisionshinweis`,
  terms_accepted: (who) => `${who} akzeptierte die AGB`,
  privacy_read: (who) => `${who} bestätigte, die Datenschutzerklärung gelesen zu haben`,
  contact_permission: (who) => `${who} erlaubte die Kontaktaufnahme zu weiteren Angeboten`,
};

function confirmationText(who: string, confirmation: string | undefined): string {
  const known = confirmation ? CONFIRMATION_TEXTS[confirmation] : undefined;
  if (known) return known(who);
  return confirmation ? `${who} bestätigte ‚${confirmation}‘` : `${who} gab eine Bestätigung ab`;
}

/** body of a desktop notification: which e-mail it is about */
export function notificationBody(subject: string, count = 1): string {
  const s = subject.trim() === '' ? '(ohne Betreff)' : subject;
  return count > 1 ? `${s} · ${count} neue Aktivitäten` : s;
}
