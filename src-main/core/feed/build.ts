import { countsAsPerson, type TrackingEvent } from '../../../src-shared/events';
import { settleAtOf, settleDelayMs } from '../../../src-shared/hold';
import type { FeedDto, FeedItemDto } from '../../../src-shared/ipc';
import type { ActivityRecipient } from '../cache';
import { msg } from '../../../src-shared/messages';

/** recipient's name, else the e-mail address; null for a shared tracker („Jemand“) */
export function personName(
  recipients: readonly ActivityRecipient[],
  recipientEmail: string | null,
): string | null {
  if (recipientEmail === null) return null;
  const r = recipients.find((x) => x.email.toLowerCase() === recipientEmail.toLowerCase());
  return r?.name?.trim() ? r.name : recipientEmail;
}

/**
 * issue 21: a person's verdict the collector still holds open (a later hit could show it was a
 * machine): the feed shows it at once, marked „wird geprüft“, and the notification waits.
 */
export function isBeingChecked(e: TrackingEvent, now: number = Date.now()): boolean {
  if (!countsAsPerson(e.client.verdict)) return false;
  const settleAt = settleAtOf(e.detail);
  return settleAt !== null && settleDelayMs(Date.parse(e.occurredAt), settleAt, now) > 0;
}

export function feedItem(
  e: TrackingEvent,
  recipients: readonly ActivityRecipient[],
  isNew: boolean,
  now: number = Date.now(),
): FeedItemDto {
  const detail: FeedItemDto['detail'] = {};
  if (e.detail.url !== undefined) detail.url = e.detail.url;
  if (e.detail.document !== undefined) detail.document = e.detail.document;
  if (e.detail.unit !== undefined) detail.unit = e.detail.unit;
  if (e.detail.confirmation !== undefined) detail.confirmation = e.detail.confirmation;
  if (e.detail.honeypot) detail.honeypot = true;
  return {
    eventId: e.id,
    type: e.type,
    occurredAt: e.occurredAt,
    personName: personName(recipients, e.recipientEmail),
    recipientEmail: e.recipientEmail,
    detail,
    verdict: e.client.verdict,
    reasons: e.client.reasons,
    corrected: e.client.correctedFrom !== undefined,
    isNew,
    checking: isBeingChecked(e, now),
  };
}

/**
 * Whether an open of the Apple Mail Privacy Protection kind: the classifier's verdict prefetch
 * with a reason code from its Apple rules (`ua.apple…` for the proxy's user agent, `ip.apple…`
 * for Apple's published egress ranges).
 */
export function isApplePrefetch(e: TrackingEvent): boolean {
  return (
    e.type === 'email.opened' &&
    e.client.verdict === 'prefetch' &&
    e.client.reasons.some((r) => r.startsWith('ua.apple') || r.startsWith('ip.apple'))
  );
}

/** An open by the person: a counted open, or any counted click or landing visit (it implies one). */
export function isPersonOpen(e: TrackingEvent): boolean {
  return countsAsPerson(e.client.verdict);
}

export function buildFeed(
  activityId: string,
  events: readonly { localId: number; event: TrackingEvent }[],
  recipients: readonly ActivityRecipient[],
  seenLocalId: number,
): FeedDto {
  const sorted = [...events].sort(
    (a, b) => a.event.occurredAt.localeCompare(b.event.occurredAt) || a.event.seq - b.event.seq,
  );
  const items = sorted.map((s) =>
    feedItem(s.event, recipients, s.localId > seenLocalId && countsAsPerson(s.event.client.verdict)),
  );
  const opened = sorted.some((s) => isPersonOpen(s.event));
  const summary = !opened && sorted.some((s) => isApplePrefetch(s.event)) ? msg('feedApplePrefetch') : null;
  return { activityId, items, summary };
}
