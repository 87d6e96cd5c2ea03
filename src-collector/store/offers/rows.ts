import type { DeclaredItem, LandingLockSettings } from '../../../src-shared/api';
import { DEFAULT_LOCK_STATUSES, type DeclarationRecord, type LockReason } from './types';

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
export function lockReason(f: {
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
