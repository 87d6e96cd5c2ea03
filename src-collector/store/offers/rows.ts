import type {
  ContactKind,
  DeclaredItem,
  LandingLockSettings,
  OfferProperty,
  OfferStatus,
} from '../../../src-shared/api';
import {
  DEFAULT_LOCK_STATUSES,
  type DeclarationRecord,
  type EvidenceRecord,
  type LockReason,
  type OfferFile,
  type OfferFileRole,
  type OfferRecipient,
  type OfferRecord,
} from './types';

/** Row → record mapping of the offer tables, shared by the SQLite and PostgreSQL stores. */
export interface OfferRow {
  id: string;
  account_id: string;
  user_id: string;
  message_id: string;
  status: OfferStatus;
  property: string;
  created_at: string;
  updated_at: string;
}
export interface FileRow {
  id: string;
  role: OfferFileRole;
  name: string;
  content_type: string;
  sha256: string;
  size: number;
}
/** offer_recipients, or a message's trackers (no contact kind: a consumer until published) */
export interface RecipientRow {
  token: string;
  recipient_email: string | null;
  recipient_name: string | null;
  contact_kind?: ContactKind;
}
export interface EvidenceRow {
  id: string;
  offer_id: string;
  account_id: string;
  token: string;
  recipient_email: string | null;
  confirmation: string;
  wording: string;
  wording_sha256: string;
  policy_version: string;
  confirmed_at: string;
  ip: string;
  user_agent: string;
  /** PostgreSQL may hand a count back as text */
  repeat_count: number | string;
  last_seen_at: string | null;
}

export function offerFromRows(
  row: OfferRow,
  files: readonly FileRow[],
  recipients: readonly RecipientRow[],
): OfferRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    userId: row.user_id,
    messageId: row.message_id,
    status: row.status,
    property: JSON.parse(row.property) as OfferProperty,
    files: files.map((f): OfferFile => ({
      id: f.id,
      role: f.role,
      name: f.name,
      contentType: f.content_type,
      sha256: f.sha256,
      size: f.size,
    })),
    recipients: recipients.map(recipientFromRow),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function recipientFromRow(r: RecipientRow): OfferRecipient {
  return {
    token: r.token,
    recipientEmail: r.recipient_email,
    recipientName: r.recipient_name,
    contactKind: r.contact_kind ?? 'consumer',
  };
}

export function evidenceFromRow(r: EvidenceRow): EvidenceRecord {
  return {
    id: r.id,
    offerId: r.offer_id,
    accountId: r.account_id,
    token: r.token,
    recipientEmail: r.recipient_email,
    confirmation: r.confirmation,
    wording: r.wording,
    wordingSha256: r.wording_sha256,
    policyVersion: r.policy_version,
    confirmedAt: r.confirmed_at,
    ip: r.ip,
    userAgent: r.user_agent,
    repeatCount: Number(r.repeat_count),
    lastSeenAt: r.last_seen_at,
  };
}

export function lockSettingsFromRow(r: { statuses: string } | undefined): LandingLockSettings {
  return {
    statuses: r ? (JSON.parse(r.statuses) as LandingLockSettings['statuses']) : [...DEFAULT_LOCK_STATUSES],
  };
}

/** the lock subqueries' row (flags as 0/1) */
export interface LockRow {
  statuses: string | null;
  status: string | null;
  lock_all: number | null;
  archived: number | null;
  rejected: number | null;
}

export function lockFromRow(r: LockRow | undefined, rejected = r?.rejected === 1): LockReason | null {
  return lockReason({
    statuses: r?.statuses ?? null,
    status: r?.status ?? null,
    lockAll: r?.lock_all === 1,
    archived: r?.archived === 1,
    rejected,
  });
}

/** offer_declarations as both stores read it */
export interface DeclarationRow {
  id: string;
  offer_id: string;
  account_id: string;
  token: string;
  recipient_email: string | null;
  declared_at: string;
  items: string;
  ip: string;
  user_agent: string;
  mail_state: 'pending' | 'claimed' | 'sent';
  mail_claimed_by: string | null;
  mail_claimed_until: string | null;
  mail_sent_at: string | null;
}

export function declarationFromRow(r: DeclarationRow): DeclarationRecord {
  return {
    id: r.id,
    offerId: r.offer_id,
    accountId: r.account_id,
    token: r.token,
    recipientEmail: r.recipient_email,
    declaredAt: r.declared_at,
    items: JSON.parse(r.items) as DeclaredItem[],
    ip: r.ip,
    userAgent: r.user_agent,
    mailState: r.mail_state,
    mailClaimedBy: r.mail_claimed_by,
    mailClaimedUntil: r.mail_claimed_until,
    mailSentAt: r.mail_sent_at,
  };
}

/** the strongest reason first: a lock of the whole property, then its status, the deal, the contact */
function lockReason(f: {
  statuses: string | null;
  status: string | null;
  lockAll: boolean;
  archived: boolean;
  rejected: boolean;
}): LockReason | null {
  if (f.lockAll) return 'property';
  const statuses: readonly string[] = f.statuses
    ? (JSON.parse(f.statuses) as LandingLockSettings['statuses'])
    : DEFAULT_LOCK_STATUSES;
  if (f.status && statuses.includes(f.status)) return 'status';
  if (f.rejected) return 'deal';
  if (f.archived) return 'contact';
  return null;
}
