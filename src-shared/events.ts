import { z } from 'zod';
import { VERDICTS } from './verdicts';

/** The tracked things of DESIGN.md, one event type each, plus the additions named in the issues. */
export const EVENT_TYPES = [
  'email.opened',
  'email.link_clicked',
  'landing.visited',
  'landing.link_opened',
  'landing.document_downloaded',
  'landing.unit_liked',
  'landing.unit_unliked',
  'landing.expose_downloaded',
  'landing.cancellation_policy_opened',
  'landing.legal_confirmed',
  /** the desktop sent the prospect the confirmation of their declaration (§ 312f Abs. 2 BGB) */
  'landing.confirmation_sent',
  /** issue 19: signals from the agent's own IMAP INBOX (src-main/core/mailbox), reported by the desktop */
  'mail.replied',
  'mail.bounced',
  'mail.auto_replied',
  /** issue 17: the prospect consented to tracking on the consent page, or withdrew it */
  'consent.given',
  'consent.withdrawn',
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

// the list and its rule live in verdicts.ts, without zod, for the renderer's first screen
export { countsAsPerson, VERDICTS } from './verdicts';
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

/** issue 19: the event types read from the agent's mailbox, not from a tracker hit */
export const MAILBOX_EVENT_TYPES = ['mail.replied', 'mail.bounced', 'mail.auto_replied'] as const;
export type MailboxEventType = (typeof MAILBOX_EVENT_TYPES)[number];

export function isMailboxEventType(type: string): type is MailboxEventType {
  return type === 'mail.replied' || type === 'mail.bounced' || type === 'mail.auto_replied';
}

const eventDetailShape = {
  url: z.string().optional(),
  linkIndex: z.number().int().nonnegative().optional(),
  /** the hidden control link of tracked HTML: only machines follow it */
  honeypot: z.boolean().optional(),
  document: z.string().optional(),
  sha256: z.string().optional(),
  unit: z.string().optional(),
  /** legal confirmations: which one, the exact wording shown and its SHA-256 */
  confirmation: z.string().optional(),
  wording: z.string().optional(),
  wordingSha256: z.string().optional(),
  /**
   * issue 21: a person's verdict a later hit could still overturn; notify only if it still
   * counts as the person at this time (collector's clock, ISO). See src-shared/hold.ts.
   */
  settleAt: z.string().optional(),
  /** issue 19, mail.bounced: the delivery status code of RFC 3463 (e.g. 5.1.1), never the mail's content */
  status: z.string().optional(),
};
export const EventDetail = z.strictObject(eventDetailShape);
export type EventDetail = z.infer<typeof EventDetail>;

const eventClientShape = {
  verdict: Verdict,
  reasons: z.array(z.string()),
  /** set when an agent corrected the verdict in the feed; `verdict` then holds the correction */
  correctedFrom: Verdict.optional(),
  uaFamily: z.string().optional(),
  os: z.string().optional(),
  ipPrefix: z.string().optional(),
};
export const EventClient = z.strictObject(eventClientShape);
export type EventClient = z.infer<typeof EventClient>;

const trackingEventShape = {
  id: z.string(),
  seq: z.number().int().positive(),
  type: EventType,
  messageId: z.string(),
  offerId: z.string().nullable().optional(),
  recipientEmail: z.string().nullable(),
  occurredAt: z.string(),
};
export const TrackingEvent = z.strictObject({
  ...trackingEventShape,
  detail: EventDetail,
  client: EventClient,
});
export type TrackingEvent = z.infer<typeof TrackingEvent>;

/**
 * A TrackingEvent as a desktop reads it from a collector: every field it knows is checked exactly
 * as in TrackingEvent, a field it does not know is dropped instead of refusing the whole page. A
 * newer collector may add one, and an older desktop must keep syncing. (Dropping also checks a
 * quarter faster than refusing: 1,000,000 events on a first sync.) The collector's own output is
 * tested against the strict TrackingEvent, so nothing unexpected slips out of it unnoticed.
 */
export const ReceivedTrackingEvent = z.object({
  ...trackingEventShape,
  detail: z.object(eventDetailShape),
  client: z.object(eventClientShape),
});
