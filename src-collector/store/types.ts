import type { MessageSummary, Recipient, Role, Settings } from '../../src-shared/api';
import type { EventDetail, EventType, TrackingEvent, Verdict } from '../../src-shared/events';

/**
 * The collector's persistence boundary. Every method is async so a networked database
 * (PostgreSQL) can implement the same interface; nothing here assumes SQLite.
 *
 * Sequence numbers are per account and shared by events and message registrations. An
 * implementation must assign them inside the writing transaction and make them visible in
 * order, so a reader's cursor never passes a number that commits later.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';

  createAccount(input: { name: string }): Promise<AccountRecord>;
  getAccount(accountId: string): Promise<AccountRecord | null>;
  createUser(input: NewUser): Promise<UserRecord>;
  /** the user whose API token hashes to `tokenHash` (hex SHA-256), or null */
  findUserByTokenHash(tokenHash: string): Promise<UserRecord | null>;

  getSettings(accountId: string): Promise<Settings>;
  putSettings(accountId: string, update: Partial<Settings>): Promise<Settings>;

  /**
   * Idempotent by (userId, clientId): a second call with the same clientId returns the stored
   * message unchanged (`created: false`) whatever else the input says.
   */
  registerMessage(input: NewMessage): Promise<{ created: boolean; message: MessageRecord }>;
  /** when the message was registered and how many links it has (reclassification) */
  getMessageMeta(messageId: string): Promise<{ sentAt: string; linkCount: number } | null>;
  /** a public tracker token → what the hit belongs to, or null when unknown */
  resolveToken(token: string): Promise<ResolvedToken | null>;

  /**
   * Stores all hits in ONE transaction, assigning seqs; resolves after the commit. `revisions`
   * (earlier events the classifier now sees differently) are applied in the same transaction,
   * each changed event taking a new seq; events an agent corrected are left alone.
   * Calls commit in the order they were made (several may share one transaction): a revision
   * may target a hit of the call before, still committing when this one was made.
   */
  recordHits(batch: readonly NewHit[], revisions?: readonly Revision[]): Promise<StoredHitRef[]>;
  /** earlier hits of a message, oldest first, at most `limit` of the most recent ones */
  listHitsForMessage(messageId: string, limit?: number): Promise<StoredHit[]>;
  /** ids of messages that have hits, optionally one only (for reclassification) */
  listMessageIdsWithHits(messageId?: string): Promise<string[]>;

  /** events and message registrations visible to `viewer` with seq > after, oldest first */
  pullEvents(viewer: Viewer, after: number, limit: number): Promise<EventsPage>;
  /**
   * The same page with each event already in its wire JSON, for stores that can build it where
   * the rows are (the pull route prefers it: no row objects, no serialising them again).
   */
  pullEventsJson?(viewer: Viewer, after: number, limit: number): Promise<EventsPageJson>;
  /** an agent's correction; null when the event does not exist or is not visible to viewer */
  updateVerdict(viewer: Viewer, eventId: string, verdict: Verdict): Promise<TrackingEvent | null>;
  /** a recomputed classification; gives the event a new seq when something changed */
  updateClassification(eventId: string, c: StoredClassification): Promise<boolean>;

  /** full IPs the user called the API from recently; kept short-lived, they are the sender's own */
  recordSenderIp(userId: string, ip: string, at: Date): Promise<void>;
  senderIps(userId: string, since: Date): Promise<string[]>;

  /**
   * Optional. Called after an event's verdict changed other than through `recordHits` (an
   * agent's correction, a reclassification). A store offers this only when it is the sole
   * writer of its events (SQLite: one process owns the file); the hit writer then keeps each
   * message's recent hits in memory as the classifier's context instead of reading them back
   * per batch, and may hand over the next batch before the previous one has committed.
   */
  onHitsChanged?(listener: (change: HitChange) => void): () => void;

  /**
   * Optional, for a store shared by several writers (PostgreSQL). Called with an account whose
   * events may have been written or changed other than by this store object's `recordHits`:
   * another instance committed (heard over LISTEN), or a verdict was corrected or reclassified
   * here. `null`: anything may have changed (the listening connection was lost and is back).
   * The hit writer then keeps each message's recent hits in memory and reads a message's again
   * only after such a call for its account, instead of once per batch.
   */
  onExternalWrites?(listener: (accountId: string | null) => void): () => void;

  /**
   * Issue 19: a signal the agent's desktop read in its IMAP INBOX (reply, bounce, out-of-office),
   * stored as an event of the message so the pull, the stream and the feed's order treat it like
   * a tracking event. Idempotent by `id` (src-shared/mailbox.ts mailboxEventId): the second
   * report of a fact returns the stored event. Implementations: src-collector/store/mailbox/.
   */
  recordMailboxSignal(input: NewMailboxSignal): Promise<MailboxSignalOutcome>;

  /** called after every commit that assigned seqs in an account (SSE wakes up on it) */
  onCommitted(listener: (accountId: string) => void): () => void;
  close(): Promise<void>;
}

export interface AccountRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface NewUser {
  accountId: string;
  email: string;
  name: string;
  role: Role;
  /** hex SHA-256 of the API token; the token itself is never stored */
  tokenHash: string;
}

export interface UserRecord {
  id: string;
  accountId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export type Viewer = Pick<UserRecord, 'id' | 'accountId' | 'role'>;

export interface NewMessage {
  accountId: string;
  userId: string;
  clientId: string;
  subject: string;
  sentIndividually: boolean;
  recipients: Recipient[];
  links: string[];
  /** one per tracker: recipientEmail null for a shared tracker; tokens made by the caller */
  trackers: { token: string; recipientEmail: string | null; recipientName: string | null }[];
  createdAt: string;
}

export interface MessageRecord {
  id: string;
  accountId: string;
  userId: string;
  clientId: string;
  subject: string;
  sentIndividually: boolean;
  recipients: Recipient[];
  links: string[];
  trackers: { token: string; recipientEmail: string | null }[];
  createdAt: string;
  seq: number;
}

export interface ResolvedToken {
  token: string;
  accountId: string;
  messageId: string;
  /** the sender: visibility and sender-IP lookups */
  userId: string;
  recipientEmail: string | null;
  links: string[];
  sentAt: string;
}

/** What is stored of a hit's request: never the full IP. */
export interface StoredSignals {
  kind: 'open' | 'click' | 'landing';
  action?: string;
  linkIndex?: number;
  honeypot?: boolean;
  method: string;
  at: string;
  ipPrefix: string;
  userAgent: string;
  headers: Record<string, string>;
  /** the sender's IP prefixes known at hit time, so a `self` verdict can be recomputed */
  senderPrefixes: string[];
}

export interface StoredClassification {
  verdict: Verdict;
  reasons: string[];
  ipOwner: string | null;
}

export interface NewHit {
  id: string;
  accountId: string;
  messageId: string;
  token: string;
  type: EventType;
  recipientEmail: string | null;
  occurredAt: string;
  detail: EventDetail;
  classification: StoredClassification;
  uaFamily: string | null;
  os: string | null;
  signals: StoredSignals;
}

/** Issue 19: see Store.recordMailboxSignal. */
export interface NewMailboxSignal {
  /** the event id, derived from the fact (mailboxEventId) */
  id: string;
  viewer: Viewer;
  messageId: string;
  type: 'mail.replied' | 'mail.bounced' | 'mail.auto_replied';
  recipientEmail: string | null;
  occurredAt: string;
  detail: EventDetail;
  receivedAt: string;
}

/** not_found: no such message in the viewer's account, or an agent's colleague's message */
export type MailboxSignalOutcome =
  | { outcome: 'created' | 'existing'; event: TrackingEvent }
  | { outcome: 'not_found' };

export interface Revision {
  eventId: string;
  verdict: Verdict;
  reasons: string[];
}

/** An event's classification as changed by an agent or a reclassification. */
export interface HitChange {
  messageId: string;
  eventId: string;
  verdict: Verdict;
  reasons: string[];
  /** true when an agent set the verdict: later revisions by the classifier leave it alone */
  corrected: boolean;
}

export interface StoredHitRef {
  id: string;
  seq: number;
}

export interface StoredHit {
  id: string;
  seq: number;
  messageId: string;
  signals: StoredSignals;
  classification: StoredClassification;
  correctedFrom: Verdict | null;
}

export interface EventsPage {
  events: TrackingEvent[];
  messages: (MessageSummary & { seq: number })[];
  next: number;
}

export interface EventsPageJson {
  /** each event's wire JSON (a TrackingEvent, as pullEvents would give it), in seq order */
  events: string[];
  /** which of `events` are landing events, and their message (offers add the offerId) */
  landing: { index: number; messageId: string }[];
  messages: (MessageSummary & { seq: number })[];
  next: number;
}

/** Thrown only for programming errors; expected failures are values at the route level. */
export class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
