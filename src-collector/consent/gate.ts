import type { ConsentSettings, ContactConsent } from '../../src-shared/consent';
import type { EventType } from '../../src-shared/events';
import type { ResolvedToken, Store } from '../store/types';
import { Lru } from '../util/lru';
import { contactDecision } from './decide';

/**
 * Landing-page events the law needs as evidence (Widerrufsbelehrung opened, legal confirmations,
 * downloads of the Exposé and documents, the confirmation mail): recorded whatever the analytics
 * switches and the contact's mode say. Everything else on the page is analytics.
 */
const EVIDENCE_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'landing.document_downloaded',
  'landing.expose_downloaded',
  'landing.cancellation_policy_opened',
  'landing.legal_confirmed',
  'landing.confirmation_sent',
  'consent.given',
  'consent.withdrawn',
]);

export function isEvidenceType(type: EventType): boolean {
  return EVIDENCE_TYPES.has(type);
}

/**
 * Issue 17, at hit time: may this hit be recorded? The account's switch for its kind (opens,
 * clicks, landing analytics) and the contact's consent as it is now, so a withdrawal or a „nie
 * tracken“ also silences the trackers of mails sent before. A shared tracker counts only while
 * every recipient of its message may be tracked. Answers are cached briefly (another instance's
 * change is seen within the TTL; this instance's own changes invalidate at once).
 */
export class ConsentGate {
  private readonly settings: Lru<string, ConsentSettings>;
  private readonly contacts: Lru<string, ContactConsent | null>;
  private readonly recipients = new Lru<string, string[]>(20_000);

  constructor(
    private readonly store: Store,
    ttlMs = 5_000,
  ) {
    this.settings = new Lru(10_000, ttlMs);
    this.contacts = new Lru(100_000, ttlMs);
  }

  /** the cached answer without a trip through the event loop; undefined when something is not cached */
  cachedAllows(resolved: ResolvedToken, type: EventType): boolean | undefined {
    if (isEvidenceType(type)) return true;
    const s = this.settings.get(resolved.accountId);
    if (!s) return undefined;
    if (!switchAllows(s, type)) return false;
    const emails =
      resolved.recipientEmail !== null ? [resolved.recipientEmail] : this.recipients.get(resolved.messageId);
    if (!emails) return undefined;
    for (const e of emails) {
      const c = this.contacts.get(key(resolved.accountId, e));
      if (c === undefined) return undefined;
      if (!contactDecision(s, c ?? undefined).tracked) return false;
    }
    return true;
  }

  async allows(resolved: ResolvedToken, type: EventType): Promise<boolean> {
    const cached = this.cachedAllows(resolved, type);
    if (cached !== undefined) return cached;
    const s = await this.accountSettings(resolved.accountId);
    if (!switchAllows(s, type)) return false;
    let emails: string[];
    if (resolved.recipientEmail !== null) emails = [resolved.recipientEmail.toLowerCase()];
    else {
      emails =
        this.recipients.get(resolved.messageId) ?? (await this.store.messageRecipients(resolved.messageId));
      this.recipients.set(resolved.messageId, emails);
    }
    const found = await this.store.contactsConsent(resolved.accountId, emails);
    for (const e of emails) {
      const c = found.get(e) ?? null;
      this.contacts.set(key(resolved.accountId, e), c);
      if (!contactDecision(s, c ?? undefined).tracked) return false;
    }
    return true;
  }

  async accountSettings(accountId: string): Promise<ConsentSettings> {
    const cached = this.settings.get(accountId);
    if (cached) return cached;
    const s = await this.store.consentSettings(accountId);
    this.settings.set(accountId, s);
    return s;
  }

  settingsChanged(accountId: string): void {
    this.settings.delete(accountId);
  }

  contactChanged(accountId: string, emailLower: string): void {
    this.contacts.delete(key(accountId, emailLower));
  }
}

function key(accountId: string, email: string): string {
  return `${accountId}\n${email.toLowerCase()}`;
}

function switchAllows(s: ConsentSettings, type: EventType): boolean {
  if (type === 'email.opened') return s.trackOpens;
  if (type === 'email.link_clicked') return s.trackClicks;
  if (type.startsWith('landing.')) return s.trackLanding;
  return true;
}
