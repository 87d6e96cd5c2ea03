import { z } from 'zod';

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
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

/** Definitions in shared/corpus/README.md. Only human and proxy count as the person's activity. */
export const VERDICTS = ['human', 'proxy', 'prefetch', 'scanner', 'preview', 'self'] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

export function countsAsPerson(verdict: Verdict): boolean {
  return verdict === 'human' || verdict === 'proxy';
}

export const EventDetail = z
  .object({
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
  })
  .strict();
export type EventDetail = z.infer<typeof EventDetail>;

export const EventClient = z
  .object({
    verdict: Verdict,
    reasons: z.array(z.string()),
    /** set when an agent corrected the verdict in the feed; `verdict` then holds the correction */
    correctedFrom: Verdict.optional(),
    uaFamily: z.string().optional(),
    os: z.string().optional(),
    ipPrefix: z.string().optional(),
  })
  .strict();
export type EventClient = z.infer<typeof EventClient>;

export const TrackingEvent = z
  .object({
    id: z.string(),
    seq: z.number().int().positive(),
    type: EventType,
    messageId: z.string(),
    offerId: z.string().nullable().optional(),
    recipientEmail: z.string().nullable(),
    occurredAt: z.string(),
    detail: EventDetail,
    client: EventClient,
  })
  .strict();
export type TrackingEvent = z.infer<typeof TrackingEvent>;
