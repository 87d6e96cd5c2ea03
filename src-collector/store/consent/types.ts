import type { ConsentMode, ConsentSettings, ConsentState, ContactConsent } from '../../../src-shared/consent';

/**
 * Issue 17: tracking consent per contact, an aggregate of the collector's Store. Contacts are
 * keyed by account and the trimmed, lower-cased address; each has a mode (null: the account's
 * default) and a consent state the prospect set on the consent page. Every consent given or
 * withdrawn is kept as evidence (`consent_records`, chained by the evidence chainer). Implemented
 * per dialect (sqlite/consent.ts, postgres/consent.ts); touches only its own tables.
 */
export interface ConsentStore {
  consentSettings(accountId: string): Promise<ConsentSettings>;
  putConsentSettings(accountId: string, update: Partial<ConsentSettings>): Promise<ConsentSettings>;

  /** the stored contacts among `emailsLower`; an address not in the map has no row (default mode, no consent) */
  contactsConsent(accountId: string, emailsLower: readonly string[]): Promise<Map<string, ContactConsent>>;
  /** sets (or with null clears) a contact's own mode; the contact's version moves on */
  setContactMode(
    accountId: string,
    emailLower: string,
    mode: ConsentMode | null,
    by: string,
    at: string,
  ): Promise<ContactConsent>;
  /** contacts changed after `after` (their version), oldest change first: the desktops' sync */
  contactsChangedAfter(accountId: string, after: number, limit: number): Promise<ContactConsent[]>;

  /** stores the record and moves the contact's consent state in ONE transaction */
  recordConsent(input: NewConsentRecord): Promise<{ record: ConsentRecord; contact: ContactConsent }>;
  /** the lower-cased addresses a registered message went to (a shared tracker's hit gate) */
  messageRecipients(messageId: string): Promise<string[]>;
  /** consent records the chain does not hold yet (ids in `chained`), oldest first */
  consentsForChain(accountId: string, chained: ReadonlySet<string>, limit: number): Promise<ConsentRecord[]>;
}

export interface NewConsentRecord {
  accountId: string;
  emailLower: string;
  kind: Exclude<ConsentState, 'none'>;
  messageId: string | null;
  token: string | null;
  wording: string;
  wordingSha256: string;
  wordingVersion: string;
  at: string;
  /** the FULL IP: a consent is evidence (issue 17) */
  ip: string;
  userAgent: string;
}

export interface ConsentRecord extends NewConsentRecord {
  id: string;
}
