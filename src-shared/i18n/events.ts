import type { EventDetail, EventType } from '../events';

/**
 * The feed's sentences of DESIGN.md in German and English. Shared because two sides speak them:
 * the renderer (the feed, under its `feed` namespace) and the core (native notifications, in the
 * language the agent chose). Parameters use i18next's {{name}}.
 */
export const eventTextsDe = {
  someone: 'Jemand',
  honeypot: 'Ein automatischer Prüfer folgte dem versteckten Kontroll-Link',
  type: {
    'email.opened': '{{name}} öffnete die E-Mail',
    'email.link_clicked': '{{name}} öffnete den Link {{url}}',
    'landing.visited': '{{name}} besuchte die Landing Page',
    'landing.link_opened': '{{name}} öffnete den Link {{url}}',
    'landing.document_downloaded': '{{name}} lud ‚{{document}}‘ herunter',
    'landing.unit_liked': '{{name}} merkte sich Einheit {{unit}}',
    'landing.unit_unliked': '{{name}} entfernte Einheit {{unit}} aus der Merkliste',
    'landing.expose_downloaded': '{{name}} lud das Exposé herunter',
    'landing.cancellation_policy_opened': '{{name}} öffnete die Widerrufsbelehrung',
    'landing.legal_confirmed': '{{name}} bestätigte die Rechtshinweise',
    'landing.confirmation_sent': 'Bestätigung an {{name}} gesendet',
    'mail.replied': '{{name}} antwortete',
    'mail.bounced': 'Zustellung an {{email}} fehlgeschlagen',
    'mail.auto_replied': 'Abwesenheitsnotiz von {{name}}',
    'consent.given': '{{name}} willigte in das Tracking ein',
    'consent.withdrawn': '{{name}} widerrief die Einwilligung',
  } satisfies Record<EventType, string>,
  /** the same without the detail the sentence names (an event from an older collector) */
  typeGeneric: {
    'email.link_clicked': '{{name}} öffnete einen Link',
    'landing.link_opened': '{{name}} öffnete einen Link',
    'landing.document_downloaded': '{{name}} lud ein Dokument herunter',
    'landing.unit_liked': '{{name}} merkte sich eine Einheit',
    'landing.unit_unliked': '{{name}} entfernte eine Einheit aus der Merkliste',
  } as Record<string, string>,
  confirmation: {
    cancellation_policy_read: '{{name}} bestätigte, die Widerrufsbelehrung gelesen zu haben',
    early_start: '{{name}} verlangte den Beginn vor Ablauf der Widerrufsfrist (§ 356 Abs. 4 BGB)',
    commission_notice: '{{name}} bestätigte den Provisionshinweis',
    terms_accepted: '{{name}} akzeptierte die AGB',
    privacy_read: '{{name}} bestätigte, die Datenschutzerklärung gelesen zu haben',
    contact_permission: '{{name}} erlaubte die Kontaktaufnahme zu weiteren Angeboten',
  } as Record<string, string>,
  noSubject: '(ohne Betreff)',
  notificationMore_one: '{{subject}} · {{count}} neue Aktivität',
  notificationMore_other: '{{subject}} · {{count}} neue Aktivitäten',
};

export const eventTextsEn: typeof eventTextsDe = {
  someone: 'Someone',
  honeypot: 'An automated checker followed the hidden control link',
  type: {
    'email.opened': '{{name}} opened the e-mail',
    'email.link_clicked': '{{name}} opened the link {{url}}',
    'landing.visited': '{{name}} visited the landing page',
    'landing.link_opened': '{{name}} opened the link {{url}}',
    'landing.document_downloaded': '{{name}} downloaded ‘{{document}}’',
    'landing.unit_liked': '{{name}} saved unit {{unit}}',
    'landing.unit_unliked': '{{name}} removed unit {{unit}} from their saved list',
    'landing.expose_downloaded': '{{name}} downloaded the exposé',
    'landing.cancellation_policy_opened': '{{name}} opened the cancellation policy',
    'landing.legal_confirmed': '{{name}} confirmed the legal notices',
    'landing.confirmation_sent': 'Confirmation sent to {{name}}',
    'mail.replied': '{{name}} replied',
    'mail.bounced': 'Delivery to {{email}} failed',
    'mail.auto_replied': 'Out-of-office reply from {{name}}',
    'consent.given': '{{name}} consented to tracking',
    'consent.withdrawn': '{{name}} withdrew their consent',
  },
  typeGeneric: {
    'email.link_clicked': '{{name}} opened a link',
    'landing.link_opened': '{{name}} opened a link',
    'landing.document_downloaded': '{{name}} downloaded a document',
    'landing.unit_liked': '{{name}} saved a unit',
    'landing.unit_unliked': '{{name}} removed a unit from their saved list',
  },
  confirmation: {
    cancellation_policy_read: '{{name}} confirmed having read the cancellation policy',
    early_start: '{{name}} asked for the service to start before the withdrawal period ends (§ 356(4) BGB)',
    commission_notice: '{{name}} confirmed the commission notice',
    terms_accepted: '{{name}} accepted the terms and conditions',
    privacy_read: '{{name}} confirmed having read the privacy policy',
    contact_permission: '{{name}} allowed being contacted about further offers',
  },
  noSubject: '(no subject)',
  notificationMore_one: '{{subject}} · {{count}} new activity',
  notificationMore_other: '{{subject}} · {{count}} new activities',
};

/** i18next's t as both sides use it: a key path and its options */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** example.org/exposes/wohnung-3 → shown without scheme, long paths shortened with „…“. */
export function shortUrl(raw: string | undefined): string {
  if (!raw) return '';
  try {
    const u = new URL(raw);
    const path = u.pathname === '/' ? '' : u.pathname;
    const full = `${u.host.replace(/^www\./, '')}${path}`;
    return full.length > 48 ? `${full.slice(0, 46)}…` : full;
  } catch {
    return raw.length > 48 ? `${raw.slice(0, 46)}…` : raw;
  }
}

export interface SentenceInput {
  type: EventType;
  personName: string | null;
  recipientEmail: string | null;
  detail: Pick<EventDetail, 'url' | 'document' | 'unit' | 'confirmation' | 'honeypot'>;
}

/** „Anna Beispiel öffnete die E-Mail“ from the texts above, loaded under `ns` (e.g. `feed`). */
export function eventSentence(t: Translate, item: SentenceInput, ns = 'feed'): string {
  if (item.detail.honeypot) return t(`${ns}.honeypot`);
  const name = item.personName ?? item.recipientEmail ?? t(`${ns}.someone`);
  const c = item.detail.confirmation;
  if (item.type === 'landing.legal_confirmed' && c && /^[a-z_]+$/.test(c)) {
    // a confirmation we know gets its own sentence; others keep the generic one
    const text = t(`${ns}.confirmation.${c}`, { name, defaultValue: '' });
    if (text) return text;
  }
  const d = item.detail;
  const missing =
    (item.type === 'email.link_clicked' || item.type === 'landing.link_opened') && !d.url
      ? true
      : item.type === 'landing.document_downloaded'
        ? !d.document
        : item.type === 'landing.unit_liked' || item.type === 'landing.unit_unliked'
          ? !d.unit
          : false;
  if (missing) return t(`${ns}.typeGeneric.${item.type}`, { name });
  return t(`${ns}.type.${item.type}`, {
    name,
    url: shortUrl(item.detail.url),
    document: item.detail.document ?? '',
    unit: item.detail.unit ?? '',
    email: item.recipientEmail ?? name,
  });
}
