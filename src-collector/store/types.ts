import type { MessageSummary, Recipient, Role, Settings } from '../../src-shared/api';
import type { EventDetail, EventType, TrackingEvent, Verdict } from '../../src-shared/events';
import type { EventsShape } from '../../src-shared/event-rows';

import type { FileStore } from '../offers/files';
import type { TrackingDomainsStore } from './domains/types';
import type { ConsentStore } from './consent/types';
import type { EvidenceChainStore } from './evidence/types';
import type { OfferStore, PublishableMessage } from './offers/types';
import type { PrivacyStore } from './privacy/types';

/**
 * The collector's persistence boundary: one contract, split by aggregate, implemented once per
 * dialect (store/sqlite/, store/postgres/; store/README.md maps where what is written). Every
 * method is async so a networked database can implement it; nothing here assumes SQLite.
 *
 * Sequence numbers are per account and shared by events and message registrations. An
 * implementation must assign them inside the writing transaction and make them visible in
 * order, so a reader's cursor never passes a number that commits later.
 */
export interface Store
  extends AccountsStore, MessagesStore, EventsStore, OfferStore, HealthStore, ConsentStore {
  /** the offers' files (images, documents, the Exposé), content-addressed */
  readonly files: FileStore;
  /** the evidence chain (issue 16): its own aggregate, kept apart so its names stay its own */
  readonly evidenceChain: EvidenceChainStore;
  /** issue 20: each account's own tracking host name */
  readonly trackingDomains: TrackingDomainsStore;
  /** issue 17 part 2: retention, legal holds, tombstones, the subject parts (store/privacy/) */
  readonly privacy: PrivacyStore;
  close(): Promise<void>;
}

/**
 * What an operator's probe (/readyz, issue 20) asks of the database: can it take a write now,
 * is its schema the one this code expects. Answered over a connection of the probe's own where
 * the dialect allows it, so a store busy or hung on its own connections cannot hang the probe.
 */
export interface HealthStore {
  probeReadiness(): Promise<ReadinessProbe>;
}

/** fixed words only (they go into /readyz); `detail` is for the log, never the answer */
export interface ReadinessProbe {
  store: 'ok' | 'unreachable' | 'read_only';
  schema: SchemaStatus;
  detail?: string;
}

/** the database's recorded versions against the dialect's own migration sequence */
export type SchemaStatus = 'current' | 'behind' | 'ahead' | 'unknown';

/** Accounts, their users and settings, and the senders' recent IPs. */
export interface AccountsStore {
  createAccount(input: { name: string }): Promise<AccountRecord>;
  getAccount(accountId: string): Promise<AccountRecord | null>;
  /** every account's id (the evidence chainer's sweep) */
  listAccountIds(): Promise<string[]>;
  createUser(input: NewUser): Promise<UserRecord>;
  /** the user whose API token hashes to `tokenHash` (hex SHA-256), or null */
  findUserByTokenHash(tokenHash: string): Promise<UserRecord | null>;

  getSettings(accountId: string): Promise<Settings>;
  putSettings(accountId: string, update: Partial<Settings>): Promise<Settings>;

  /** full IPs the user called the API from recently; kept short-lived, they are the sender's own */
  recordSenderIp(userId: string, ip: string, at: Date): Promise<void>;
  senderIps(userId: string, since: Date): Promise<string[]>;
}

/** Registered messages and their trackers. */
export interface MessagesStore {
  /**
   * Idempotent by (userId, clientId): a second call with the same clientId returns the stored
   * message unchanged (`created: false`) whatever else the input says.
   */
  registerMessage(input: NewMessage): Promise<{ created: boolean; message: MessageRecord }>;
  /** when the message was registered and how many links it has (reclassification) */
  getMessageMeta(messageId: string): Promise<{ sentAt: string; linkCount: number } | null>;
  /** a public tracker token → what the hit belongs to, or null when unknown */
  resolveToken(token: string): Promise<ResolvedToken | null>;
  /** the registered message with its trackers' names, as publishing an offer needs it */
  messageForPublish(messageId: string): Promise<PublishableMessage | null>;
  /** the sending user of each given message that exists (an agent's evidence export) */
  sendersOf(messageIds: readonly string[]): Promise<Map<string, string>>;
}

/** Tracking events: written in batches by the hit writer, pulled by the desktops. */
export interface EventsStore {
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
  /** the same page with each event already in its wire JSON (the pull route sends it as it is) */
  pullEventsJson(viewer: Viewer, after: number, limit: number, shape?: EventsShape): Promise<EventsPageJson>;
  /** an agent's correction; null when the event does not exist or is not visible to viewer */
  updateVerdict(viewer: Viewer, eventId: string, verdict: Verdict): Promise<TrackingEvent | null>;
  /** a recomputed classification; gives the event a new seq when something changed */
  updateClassification(eventId: string, c: StoredClassification): Promise<boolean>;

  /**
   * Events changed other than through this store object's `recordHits`, so that the hit writer
   * may keep each message's recent hits in memory as the classifier's context: a known event's
   * classification changed here (`event`: patch it), events of an account may have been written
   * or changed elsewhere (`account`: read that account's again), or anything may have (`all`: the
   * connection that tells was lost). SQLite, the sole writer of its file, only ever says `event`.
   */
  onEventsChanged(listener: (change: EventsChange) => void): () => void;

  /**
   * Issue 19: a signal the agent's desktop read in its IMAP INBOX (reply, bounce, out-of-office),
   * stored as an event of the message so the pull, the stream and the feed's order treat it like
   * a tracking event. Idempotent by `id` (src-shared/mailbox.ts mailboxEventId): the second
   * report of a fact returns the stored event. Written by sqlite/mailbox-signals.ts and
   * postgres/mailbox-signals.ts (one transaction each, the seq from the account's sequence).
   */
  recordMailboxSignal(input: NewMailboxSignal): Promise<MailboxSignalOutcome>;

  /** called after every commit that assigned seqs in an account (SSE wakes up on it) */
  onCommitted(listener: (accountId: string) => void): () => void;
}

export type EventsChange =
  { kind: 'event'; change: HitChange } | { kind: 'account'; accountId: string } | { kind: 'all' };

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
  /** the offer whose landing page the hit came from (landing events), else null */
  offerId: string | null;
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
  { outcome: 'created' | 'existing'; event: TrackingEvent } | { outcome: 'not_found' };

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
  /** the account's newest sequence number when the page was read (a desktop's progress estimate) */
  lastSeq?: number;
}

export interface EventsPageJson {
  /**
   * the events' wire JSON (each a TrackingEvent as pullEvents would give it, or with shape `rows`
   * its row, src-shared/event-rows.ts) joined by commas, UTF-8, in seq order: what goes between
   * the brackets of the page's events (or rows) array
   */
  events: Buffer;
  /** how many events `events` holds */
  eventCount: number;
  messages: (MessageSummary & { seq: number })[];
  next: number;
  lastSeq?: number;
}
