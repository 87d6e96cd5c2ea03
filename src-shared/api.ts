import { z } from 'zod';
import { TrackingEvent } from './events';

/** Wire schemas of the collector's API v1 (DESIGN.md, "The collector's contract"). */

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Role = z.enum(['admin', 'agent']);
export type Role = z.infer<typeof Role>;

export const MeResponse = z.object({
  userId: z.string(),
  accountId: z.string(),
  role: Role,
  name: z.string(),
  email: z.string(),
});
export type MeResponse = z.infer<typeof MeResponse>;

export const Settings = z.object({ trackingEnabled: z.boolean() });
export type Settings = z.infer<typeof Settings>;
export const SettingsUpdate = Settings.partial().strict();
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;

export const AbsoluteHttpUrl = z
  .string()
  .max(4096)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

export const Recipient = z.object({ email: z.email().max(320), name: z.string().max(200).optional() }).strict();
export type Recipient = z.infer<typeof Recipient>;

export const RegisterMessageRequest = z
  .object({
    clientId: z.string().min(1).max(200),
    subject: z.string().max(1000),
    sentIndividually: z.boolean(),
    recipients: z.array(Recipient).min(1).max(500),
    links: z.array(AbsoluteHttpUrl).max(2000),
  })
  .strict();
export type RegisterMessageRequest = z.infer<typeof RegisterMessageRequest>;

export const Tracker = z.object({
  recipientEmail: z.string().nullable(),
  pixelUrl: z.string(),
  links: z.array(z.object({ url: z.string(), trackedUrl: z.string() })),
});
export type Tracker = z.infer<typeof Tracker>;

export const RegisterMessageResponse = z.object({
  messageId: z.string(),
  trackers: z.array(Tracker),
});
export type RegisterMessageResponse = z.infer<typeof RegisterMessageResponse>;

/** A message as the collector knows it; lets an agent's other desktops show the same history. */
export const MessageSummary = z.object({
  messageId: z.string(),
  clientId: z.string(),
  subject: z.string(),
  sentIndividually: z.boolean(),
  recipients: z.array(Recipient),
  createdAt: z.string(),
  userId: z.string(),
});
export type MessageSummary = z.infer<typeof MessageSummary>;

export const EVENTS_PAGE_MAX = 1000;
export const EventsQuery = z
  .object({
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(EVENTS_PAGE_MAX).default(500),
  })
  .strict();
export type EventsQuery = z.infer<typeof EventsQuery>;

/**
 * One page of the account's sequence. Message registrations take a number from the same
 * per-account sequence as events, so one cursor brings both: `messages` holds the registrations
 * with seq in (after, next], which is how an agent's other desktops learn of messages they did not send.
 */
export const EventsResponse = z.object({
  events: z.array(TrackingEvent),
  messages: z.array(MessageSummary.extend({ seq: z.number().int().positive() })).default([]),
  next: z.number().int().min(0),
});
export type EventsResponse = z.infer<typeof EventsResponse>;
