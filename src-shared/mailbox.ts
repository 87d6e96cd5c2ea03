import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TrackingEvent, type MailboxEventType } from './events';

/**
 * Issue 19: what a desktop reports of a signal it read in the agent's own IMAP INBOX. Only the
 * fact: which sent message, which recipient, what kind, when, and for a bounce the status code.
 * Never the mail's content, never the prospect's Message-ID itself (only its SHA-256, which makes
 * two desktops of the same agent scanning the same INBOX report the same fact).
 */
export const MailboxSignalKind = z.enum(['replied', 'bounced', 'auto_replied']);
export type MailboxSignalKind = z.infer<typeof MailboxSignalKind>;

export const MAILBOX_KIND_TYPE: Record<MailboxSignalKind, MailboxEventType> = {
  replied: 'mail.replied',
  bounced: 'mail.bounced',
  auto_replied: 'mail.auto_replied',
};

/** RFC 3463 enhanced status code, e.g. 5.1.1 */
export const DsnStatus = z.string().regex(/^[245]\.\d{1,3}\.\d{1,3}$/);

export const MailboxSignalRequest = z
  .object({
    /** the collector's id of the sent message (POST /api/v1/messages answered it) */
    messageId: z.string().min(1).max(100),
    /** the recipient the signal is about; null when it cannot be told (a shared send, an alias) */
    recipientEmail: z.string().min(3).max(320).nullable(),
    kind: MailboxSignalKind,
    /** when the mail arrived (its Date, or the server's INTERNALDATE), ISO */
    occurredAt: z.iso.datetime({ offset: true }),
    /** hex SHA-256 of the signal mail's normalised Message-ID (see sourceKeyOf) */
    sourceKey: z.string().regex(/^[0-9a-f]{64}$/),
    status: DsnStatus.optional(),
  })
  .strict();
export type MailboxSignalRequest = z.infer<typeof MailboxSignalRequest>;

export const MailboxSignalResponse = z.object({ created: z.boolean(), event: TrackingEvent });
export type MailboxSignalResponse = z.infer<typeof MailboxSignalResponse>;

/** the key of a signal mail: SHA-256 of its Message-ID without brackets, lower-cased */
export function sourceKeyOf(messageId: string): string {
  return createHash('sha256').update(messageId.trim().replace(/^<|>$/g, '').toLowerCase()).digest('hex');
}

/**
 * The event's id, the same on every desktop and in every store: one fact (message, recipient,
 * kind, source mail) is one event however often it is reported.
 */
export function mailboxEventId(
  messageId: string,
  recipientEmail: string | null,
  kind: MailboxSignalKind,
  sourceKey: string,
): string {
  const h = createHash('sha256')
    .update([messageId, (recipientEmail ?? '').toLowerCase(), kind, sourceKey].join('\u0000'))
    .digest('hex');
  return `mbx-${h.slice(0, 40)}`;
}
