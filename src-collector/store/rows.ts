import type { MessageSummary, Recipient } from '../../src-shared/api';
import type { EventDetail, EventType, TrackingEvent, Verdict } from '../../src-shared/events';
import type { StoredHit, StoredSignals } from './types';

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
export interface HitRow {
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
