import type { OfferProperty, OfferStatus } from '../../../src-shared/api';

/**
 * Offers, their files, the landing recipients, likes and legal evidence. Async throughout so a
 * networked database can implement it. Kept apart from the collector's Store: an offer hangs
 * off a registered message and never changes the event pipeline.
 */
export interface OfferStore {
  readonly kind: 'sqlite' | 'postgres';

  /** the registered message as publishing needs it, or null when unknown */
  messageForPublish(messageId: string): Promise<PublishableMessage | null>;
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

  addEvidence(rows: readonly NewEvidence[]): Promise<void>;
  /** confirmations given through this token (for the current policy version) */
  confirmationsFor(offerId: string, token: string, policyVersion: string): Promise<Set<string>>;
  listEvidence(offerId: string): Promise<EvidenceRecord[]>;

  /** a long-lived secret, created on first use and shared by every instance on this database */
  secret(name: string): Promise<Buffer>;
  close(): Promise<void>;
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

export type EvidenceRecord = NewEvidence;
