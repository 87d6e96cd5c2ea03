import type { TrackingEvent } from '../../../src-shared/events';
import type { FeedItemDto } from '../../../src-shared/ipc';
import { MAILBOX_KIND_TYPE } from '../../../src-shared/mailbox';
import { msg, type Message } from '../../../src-shared/messages';
import type { LocalSignal } from '../cache/mailbox';

/** The server's status code in the agent's words (RFC 3463 classes); the raw code stays behind „Details“. */
export function bounceReason(status: string | null | undefined): Message {
  if (!status) return msg('mailboxBounceNoStatus');
  const [cls, subject, detail] = status.split('.').map(Number);
  if (cls === 4) return msg('mailboxBounceTemporary', { status });
  if (subject === 1 && (detail === 1 || detail === 6)) return msg('mailboxBounceUnknownUser', { status });
  if (subject === 1 && detail === 2) return msg('mailboxBounceUnknownDomain', { status });
  if (subject === 4 && detail === 4) return msg('mailboxBounceUnknownDomain', { status });
  if (subject === 2 && detail === 2) return msg('mailboxBounceMailboxFull', { status });
  if (subject === 2 && detail === 1) return msg('mailboxBounceDisabled', { status });
  if ((subject === 3 && detail === 4) || (subject === 2 && detail === 3))
    return msg('mailboxBounceTooLarge', { status });
  if (subject === 7) return msg('mailboxBounceRejected', { status });
  return msg('mailboxBounceOther', { status });
}

/** a signal the collector has not (yet, or ever) confirmed, shown from this computer's record */
export function localSignalEvent(s: LocalSignal): TrackingEvent {
  return {
    id: s.eventId,
    seq: 0,
    type: MAILBOX_KIND_TYPE[s.kind],
    messageId: s.collectorMessageId ?? '',
    recipientEmail: s.recipientEmail,
    occurredAt: s.occurredAt,
    detail: s.status ? { status: s.status } : {},
    client: { verdict: 'human', reasons: [`mailbox.${s.kind}`] },
  };
}

/**
 * The feed's events of an activity with the signals only this computer knows added (an untracked
 * mail, the collector not reached yet); a signal the collector has is shown once, as its event.
 */
export function withLocalSignals(
  events: readonly { localId: number; event: TrackingEvent }[],
  signals: readonly LocalSignal[],
): { localId: number; event: TrackingEvent }[] {
  const have = new Set(events.map((e) => e.event.id));
  const extra = signals
    .filter((s) => !have.has(s.eventId))
    .map((s) => ({ localId: 0, event: localSignalEvent(s) }));
  return extra.length === 0 ? [...events] : [...events, ...extra];
}

/** what the feed shows of a mailbox signal beyond its sentence: from this computer if it read the mail */
export function mailDetail(
  e: TrackingEvent,
  local: LocalSignal | undefined,
): NonNullable<FeedItemDto['mail']> {
  const out: NonNullable<FeedItemDto['mail']> = {};
  if (local?.fromName) out.fromName = local.fromName;
  if (local?.fromEmail) out.fromEmail = local.fromEmail;
  if (local?.subject) out.subject = local.subject;
  if (local?.firstLine && e.type === 'mail.replied') out.firstLine = local.firstLine;
  if (e.type === 'mail.bounced') {
    const status = e.detail.status ?? local?.status ?? null;
    out.reason = bounceReason(status);
    if (status) out.status = status;
    if (local?.diagnostic) out.diagnostic = local.diagnostic;
  }
  return out;
}

/**
 * A feed item of a mail.* event completed from this computer's record of the mail: the sender's
 * name when someone other than a recipient answered, what the mail said (locally only), the
 * bounce's reason. An out-of-office answer is never „neu“: it is quiet.
 */
export function decorateFeedItem(
  item: FeedItemDto,
  e: TrackingEvent,
  local: LocalSignal | undefined,
): FeedItemDto {
  if (!e.type.startsWith('mail.')) return item;
  const out: FeedItemDto = { ...item, mail: mailDetail(e, local) };
  if (e.type === 'mail.auto_replied') out.isNew = false;
  if (local?.fromName && e.type !== 'mail.bounced' && item.personName === item.recipientEmail)
    out.personName = local.fromName;
  return out;
}

/** the recipients a bounce reported, for the activity's header („nicht zugestellt“) */
export function undeliveredOf(items: readonly FeedItemDto[]): string[] {
  return [
    ...new Set(
      items.filter((i) => i.type === 'mail.bounced' && i.recipientEmail).map((i) => i.recipientEmail!),
    ),
  ];
}
