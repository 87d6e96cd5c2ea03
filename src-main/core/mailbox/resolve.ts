import { mailboxEventId, sourceKeyOf, type MailboxSignalKind } from '../../../src-shared/mailbox';
import type { ClassifiedMail } from './classify';
import type { LocalSignal, MailboxRepo } from '../cache/mailbox';

/** an automatic answer without a reference is matched to the newest mail sent to its sender this long before */
const AUTO_REPLY_WINDOW_MS = 14 * 24 * 3600_000;

export interface MailOrigin {
  account: string;
  folder: string;
  uid: number;
  internalDate: Date | null;
}

/**
 * The signals one classified mail gives: which activity (by the Message-IDs it refers to: a reply
 * to a reply still names the first mail in References), which recipient, which collector message.
 * A bounce gives one signal per failed recipient of that mail; none when it refers to no mail Blitz sent.
 */
export function resolveSignals(repo: MailboxRepo, mail: ClassifiedMail, origin: MailOrigin): LocalSignal[] {
  const occurredAt = (origin.internalDate ?? mail.date ?? new Date()).toISOString();
  let sent: { activityId: string; emails: string[] } | null = null;
  for (const ref of mail.references) {
    sent = repo.sentMessage(ref);
    if (sent) break;
  }
  if (!sent && mail.kind === 'auto_replied' && mail.from.email) {
    const since = new Date(Date.parse(occurredAt) - AUTO_REPLY_WINDOW_MS).toISOString();
    const id = repo.latestSentTo(mail.from.email, occurredAt, since);
    if (id) sent = { activityId: id, emails: [mail.from.email] };
  }
  if (!sent) return [];
  const recipients = repo.recipients(sent.activityId);
  const isRecipient = (email: string): boolean => recipients.some((r) => r.email.toLowerCase() === email);
  // the same fact read by two desktops must give the same key: the mail's Message-ID, else what it shows
  const sourceKey = sourceKeyOf(
    mail.messageId ?? `${mail.date?.toISOString() ?? occurredAt}|${mail.from.email ?? ''}|${mail.subject}`,
  );

  const who: { email: string | null; status: string | null; diagnostic: string | null }[] = [];
  if (mail.kind === 'bounced') {
    const failed = mail.failed.filter((f) => isRecipient(f.email) || sent.emails.includes(f.email));
    if (failed.length > 0) who.push(...failed);
    else if (sent.emails.length === 1)
      who.push({
        email: sent.emails[0]!.toLowerCase(),
        status: mail.failed[0]?.status ?? null,
        diagnostic: mail.failed[0]?.diagnostic ?? null,
      });
    else
      who.push({
        email: null,
        status: mail.failed[0]?.status ?? null,
        diagnostic: mail.failed[0]?.diagnostic ?? null,
      });
  } else {
    who.push({ email: mail.from.email, status: null, diagnostic: null });
  }

  const messages = repo.collectorMessages(sent.activityId);
  return who.map((w) => {
    const bcc =
      w.email !== null && recipients.some((r) => r.email.toLowerCase() === w.email && r.kind === 'bcc');
    const cm =
      (bcc ? messages.find((m) => m.clientId.endsWith(':bcc')) : undefined) ??
      messages.find((m) => m.clientId === sent.activityId) ??
      messages[0] ??
      null;
    const kind: MailboxSignalKind = mail.kind;
    const collectorMessageId = cm?.collectorMessageId ?? null;
    return {
      eventId: mailboxEventId(collectorMessageId ?? `local:${sent.activityId}`, w.email, kind, sourceKey),
      activityId: sent.activityId,
      collectorMessageId,
      kind,
      recipientEmail: w.email,
      sourceKey,
      occurredAt,
      fromName: mail.from.name,
      fromEmail: mail.from.email,
      subject: mail.subject || null,
      firstLine: mail.firstLine,
      status: w.status,
      diagnostic: w.diagnostic,
      reported: collectorMessageId ? 0 : 2,
      account: origin.account,
      folder: origin.folder,
      uid: origin.uid,
    } satisfies LocalSignal;
  });
}
