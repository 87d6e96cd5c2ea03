import type {
  ContactKind,
  DeclaredItem,
  LandingLockSettings,
  OfferProperty,
  OfferStatus,
  PropertyMarketStatus,
} from '../../../src-shared/api';

/**
 * The offers-and-evidence part of the collector's Store (store/types.ts): offers, the landing
 * recipients, likes, legal evidence (confirmations with the full IP) and the declarations that
 * the confirmation mail works off, landing-page locks. An offer hangs off a registered message;
 * its landing events carry its id (events.offer_id).
 */
export interface OfferStore {
  /** creates the offer, or returns the one already published for this message (`created: false`) */
  createOffer(input: NewOffer): Promise<{ created: boolean; offer: OfferRecord }>;
  getOffer(offerId: string): Promise<OfferRecord | null>;
  /** the offer behind a landing token, with the recipient it was made for */
  offerForToken(token: string): Promise<{ offer: OfferRecord; recipient: OfferRecipient } | null>;
  /** offer ids of the given messages that have one (events carry their offer's id) */
  offerIdsForMessages(messageIds: readonly string[]): Promise<Map<string, string>>;
  setStatus(offerId: string, status: OfferStatus, at: string): Promise<OfferRecord | null>;

  likedUnits(offerId: string, token: string): Promise<Set<string>>;
  setLike(offerId: string, token: string, unitId: string, liked: boolean, at: string): Promise<void>;

  /**
   * One submission of the legal form, in one transaction: each item becomes an evidence row
   * unless this token already confirmed the same wording (then its repeat count and last time
   * grow); when anything was new, a declaration (the confirmation mail's work item) is added.
   */
  recordDeclaration(input: NewDeclaration): Promise<{ newItems: string[]; declarationId: string | null }>;
  /** confirmations given through this token: by confirmation id, the wording hash and when */
  confirmedFor(offerId: string, token: string): Promise<Map<string, ConfirmedItem>>;
  listEvidence(offerId: string): Promise<EvidenceRecord[]>;

  /** the declarations made through this token, newest first */
  declarationsFor(token: string): Promise<DeclarationRecord[]>;
  getDeclaration(id: string): Promise<DeclarationRecord | null>;
  /** declarations whose mail is not sent yet, of offers owned by this user, oldest first */
  openDeclarations(userId: string, limit: number): Promise<DeclarationRecord[]>;
  /** pending, lapsed or the same device's claim → claimed until `until` */
  claimDeclaration(id: string, device: string, now: string, until: string): Promise<ClaimOutcome>;
  /** `changed` only the first time: the mail was sent once, whoever reports it again */
  markDeclarationSent(
    id: string,
    device: string,
    at: string,
    mailMessageId: string,
  ): Promise<{ outcome: 'sent' | 'elsewhere' | 'missing'; changed: boolean }>;

  lockSettings(accountId: string): Promise<LandingLockSettings>;
  setLockSettings(accountId: string, s: LandingLockSettings): Promise<void>;
  setPropertyLock(
    accountId: string,
    propertyKey: string,
    status: PropertyMarketStatus,
    lockAll: boolean,
    at: string,
  ): Promise<void>;
  setContactLock(accountId: string, email: string, archived: boolean, at: string): Promise<void>;
  setDealLock(
    accountId: string,
    propertyKey: string,
    email: string,
    rejected: boolean,
    at: string,
  ): Promise<void>;
  /** why this recipient's landing page of this property is locked, or null */
  lockFor(accountId: string, propertyKey: string | null, email: string | null): Promise<LockReason | null>;

  /** a long-lived secret, created on first use and shared by every instance on this database */
  secret(name: string): Promise<Buffer>;

  /**
   * The evidence chain's reads (issue 16): the account's offers, oldest first, leaving out the
   * ids in `chained`, at most `limit`, with their files and recipients as chained.
   */
  offersForChain(accountId: string, chained: ReadonlySet<string>, limit: number): Promise<PendingOffer[]>;
  /** the same for legal confirmations (offer evidence rows), oldest first */
  confirmationsForChain(
    accountId: string,
    chained: ReadonlySet<string>,
    limit: number,
  ): Promise<PendingConfirmation[]>;
}

/** an offer as the evidence chain records it (files: their JSON list, as stored) */
export interface PendingOffer {
  id: string;
  messageId: string;
  property: string;
  files: string;
  createdAt: string;
  recipients: string[];
}

/** a legal confirmation as the evidence chain records it */
export interface PendingConfirmation {
  id: string;
  offerId: string;
  messageId: string;
  token: string;
  recipientEmail: string | null;
  confirmation: string;
  wording: string;
  wordingSha256: string;
  policyVersion: string;
  confirmedAt: string;
  ip: string;
  userAgent: string;
}

export interface PublishableMessage {
  id: string;
  accountId: string;
  userId: string;
  sentIndividually: boolean;
  trackers: OfferRecipient[];
}

export interface OfferRecipient {
  token: string;
  recipientEmail: string | null;
  recipientName: string | null;
  contactKind: ContactKind;
}

export type OfferFileRole = 'image' | 'document' | 'expose';

export interface OfferFile {
  /** per offer, random; the only id a landing URL carries */
  id: string;
  role: OfferFileRole;
  name: string;
  contentType: string;
  sha256: string;
  size: number;
}

export interface NewOffer {
  id: string;
  accountId: string;
  userId: string;
  messageId: string;
  property: OfferProperty;
  files: OfferFile[];
  recipients: OfferRecipient[];
  createdAt: string;
}

export interface OfferRecord {
  id: string;
  accountId: string;
  userId: string;
  messageId: string;
  status: OfferStatus;
  property: OfferProperty;
  files: OfferFile[];
  recipients: OfferRecipient[];
  createdAt: string;
  updatedAt: string;
}

export interface NewEvidence {
  id: string;
  offerId: string;
  accountId: string;
  token: string;
  recipientEmail: string | null;
  confirmation: string;
  wording: string;
  wordingSha256: string;
  policyVersion: string;
  confirmedAt: string;
  /** the FULL client IP: evidence, kept only here */
  ip: string;
  userAgent: string;
}

export interface EvidenceRecord extends NewEvidence {
  /** further submissions of the same wording through the same token */
  repeatCount: number;
  lastSeenAt: string | null;
}

export interface ConfirmedItem {
  wordingSha256: string;
  confirmedAt: string;
}

export interface NewDeclaration {
  id: string;
  offerId: string;
  accountId: string;
  token: string;
  recipientEmail: string | null;
  items: DeclaredItem[];
  policyVersion: string;
  at: string;
  /** the FULL client IP: evidence */
  ip: string;
  userAgent: string;
}

export interface DeclarationRecord {
  id: string;
  offerId: string;
  accountId: string;
  token: string;
  recipientEmail: string | null;
  declaredAt: string;
  items: DeclaredItem[];
  ip: string;
  userAgent: string;
  mailState: 'pending' | 'claimed' | 'sent';
  mailClaimedBy: string | null;
  mailClaimedUntil: string | null;
  mailSentAt: string | null;
}

export type ClaimOutcome =
  { outcome: 'claimed'; declaration: DeclarationRecord } | { outcome: 'elsewhere' | 'sent' | 'missing' };

export type LockReason = 'status' | 'property' | 'contact' | 'deal';

export const DEFAULT_LOCK_STATUSES: LandingLockSettings['statuses'] = ['reserved', 'sold'];
