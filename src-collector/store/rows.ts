import type { MessageSummary, Recipient } from '../../src-shared/api';
import type { EventDetail, EventType, TrackingEvent, Verdict } from '../../src-shared/events';
import type { PublishableMessage } from './offers/types';
import { recipientFromRow, type RecipientRow } from './offers/rows';
import type { MessageRecord, ResolvedToken, StoredHit, StoredSignals, UserRecord } from './types';

/**
 * Row → wire mapping shared by the SQLite and PostgreSQL stores. The drivers differ only in how
 * they hand back times (ISO text vs Date) and booleans (0/1 vs boolean); the caller says how.
 */
export interface EventRowBase<Time> {
  id: string;
  seq: number;
  type: string;
  message_id: string;
  /** landing events: the offer whose page it was */
  offer_id: string | null;
  recipient_email: string | null;
  occurred_at: Time;
  detail: string;
  verdict: string;
  reasons: string;
  corrected_from: string | null;
  ip_owner: string | null;
  ip_prefix: string;
  ua_family: string | null;
  os: string | null;
}

export interface MessageRowBase<Time, Bool> {
  id: string;
  account_id: string;
  user_id: string;
  client_id: string;
  subject: string;
  sent_individually: Bool;
  recipients: string;
  links: string;
  created_at: Time;
  seq: number;
}

export function eventFromRow<Time>(r: EventRowBase<Time>, iso: (t: Time) => string): TrackingEvent {
  const client: TrackingEvent['client'] = {
    verdict: r.verdict as Verdict,
    reasons: JSON.parse(r.reasons) as string[],
    ipPrefix: r.ip_prefix,
  };
  if (r.corrected_from) client.correctedFrom = r.corrected_from as Verdict;
  if (r.ua_family) client.uaFamily = r.ua_family;
  if (r.os) client.os = r.os;
  const event: TrackingEvent = {
    id: r.id,
    seq: r.seq,
    type: r.type as EventType,
    messageId: r.message_id,
    recipientEmail: r.recipient_email,
    occurredAt: iso(r.occurred_at),
    detail: JSON.parse(r.detail) as EventDetail,
    client,
  };
  if (r.offer_id) event.offerId = r.offer_id;
  return event;
}

export function messageSummaryFromRow<Time, Bool>(
  row: MessageRowBase<Time, Bool>,
  iso: (t: Time) => string,
  bool: (b: Bool) => boolean,
): MessageSummary {
  return {
    messageId: row.id,
    clientId: row.client_id,
    subject: row.subject,
    sentIndividually: bool(row.sent_individually),
    recipients: JSON.parse(row.recipients) as Recipient[],
    createdAt: iso(row.created_at),
    userId: row.user_id,
  };
}

/** the columns a stored hit needs for (re)classification */
interface HitRow {
  id: string;
  seq: number;
  message_id: string;
  signals: string;
  verdict: string;
  reasons: string;
  ip_owner: string | null;
  corrected_from: string | null;
}

export function storedHitFromRow(r: HitRow): StoredHit {
  return {
    id: r.id,
    seq: r.seq,
    messageId: r.message_id,
    signals: JSON.parse(r.signals) as StoredSignals,
    classification: {
      verdict: r.verdict as Verdict,
      reasons: JSON.parse(r.reasons) as string[],
      ipOwner: r.ip_owner,
    },
    correctedFrom: (r.corrected_from as Verdict | null) ?? null,
  };
}

export interface UserRowBase<Time> {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  created_at: Time;
}

export function userFromRow<Time>(row: UserRowBase<Time>, iso: (t: Time) => string): UserRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: iso(row.created_at),
  };
}

export function messageRecordFromRow<Time, Bool>(
  row: MessageRowBase<Time, Bool>,
  trackers: readonly RecipientRow[],
  iso: (t: Time) => string,
  bool: (b: Bool) => boolean,
): MessageRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    userId: row.user_id,
    clientId: row.client_id,
    subject: row.subject,
    sentIndividually: bool(row.sent_individually),
    recipients: JSON.parse(row.recipients) as Recipient[],
    createdAt: iso(row.created_at),
    seq: row.seq,
    links: JSON.parse(row.links) as string[],
    trackers: trackers.map((t) => ({ token: t.token, recipientEmail: t.recipient_email })),
  };
}

/** a tracker joined with its message (resolveToken) */
export type ResolveRow<Time> = RecipientRow & {
  message_id: string;
  account_id: string;
  user_id: string;
  links: string;
  created_at: Time;
};

export function resolvedFromRow<Time>(row: ResolveRow<Time>, iso: (t: Time) => string): ResolvedToken {
  return {
    token: row.token,
    accountId: row.account_id,
    messageId: row.message_id,
    userId: row.user_id,
    recipientEmail: row.recipient_email,
    links: JSON.parse(row.links) as string[],
    sentAt: iso(row.created_at),
  };
}

export function publishableFromRows<Time, Bool>(
  m: MessageRowBase<Time, Bool>,
  trackers: readonly RecipientRow[],
  bool: (b: Bool) => boolean,
): PublishableMessage {
  return {
    id: m.id,
    accountId: m.account_id,
    userId: m.user_id,
    sentIndividually: bool(m.sent_individually),
    trackers: trackers.map(recipientFromRow),
  };
}

export function sameText(t: string): string {
  return t;
}

export function isoOf(d: Date): string {
  return d.toISOString();
}
