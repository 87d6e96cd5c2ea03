import type { NewHit, NewMailboxSignal, StoredHit, StoredSignals } from './types';

/**
 * Issue 19: how a mailbox signal fills the columns of a tracking event. It has no tracker, no
 * request and no IP: the verdict is the person's (a reply is the person; a bounce or an
 * out-of-office answer is about that person's address), and its reason says where it came from.
 */
export function mailboxEventColumns(input: NewMailboxSignal): {
  token: string;
  verdict: 'human';
  reasons: string;
  ipPrefix: string;
  detail: string;
  signals: string;
} {
  const signals = {
    kind: 'mailbox',
    action: input.type,
    method: 'IMAP',
    at: input.receivedAt,
    ipPrefix: '',
    userAgent: '',
    headers: {},
    senderPrefixes: [],
  };
  return {
    token: '',
    verdict: 'human',
    reasons: JSON.stringify([`mailbox.${input.type.slice('mail.'.length)}`]),
    ipPrefix: '',
    detail: JSON.stringify(input.detail),
    signals: JSON.stringify(signals),
  };
}

/**
 * The signal as a hit of the events insert (PostgreSQL's insertStatement): the same columns as
 * mailboxEventColumns. Its signals' kind is 'mailbox', which no tracker hit has.
 */
export function mailboxHit(input: NewMailboxSignal, accountId: string): NewHit {
  const c = mailboxEventColumns(input);
  return {
    id: input.id,
    accountId,
    messageId: input.messageId,
    offerId: null,
    token: c.token,
    type: input.type,
    recipientEmail: input.recipientEmail,
    occurredAt: input.occurredAt,
    detail: input.detail,
    classification: { verdict: c.verdict, reasons: JSON.parse(c.reasons) as string[], ipOwner: null },
    uaFamily: null,
    os: null,
    signals: JSON.parse(c.signals) as StoredSignals,
  };
}

/** a stored row of a mailbox signal: no request, so the classifier and reclassify skip it */
export function isMailboxHit(h: StoredHit): boolean {
  return (h.signals as { kind: string }).kind === 'mailbox';
}
