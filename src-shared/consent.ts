import { z } from 'zod';

/**
 * Issue 17: tracking consent per contact (wire schemas shared by collector and desktop).
 * „immer tracken“ (always), „nur nach Einwilligung“ (after_consent), „nie tracken“ (never).
 */
export const CONSENT_MODES = ['always', 'after_consent', 'never'] as const;
export const ConsentMode = z.enum(CONSENT_MODES);
export type ConsentMode = z.infer<typeof ConsentMode>;

/** what the prospect did on the consent page: nothing yet, consented, withdrew */
export const ConsentState = z.enum(['none', 'given', 'withdrawn']);
export type ConsentState = z.infer<typeof ConsentState>;

/** The account's consent default and analytics switches (part of GET/PUT /api/v1/settings). */
export const ConsentSettings = z.object({
  /** the mode of a contact without one of its own */
  consentDefault: ConsentMode,
  /** pixel in mails and open events */
  trackOpens: z.boolean(),
  /** rewritten links in mails and click events */
  trackClicks: z.boolean(),
  /** landing-page analytics (visits, links, likes); legal confirmations and downloads stay recorded */
  trackLanding: z.boolean(),
  /** a withdrawal link in the footer of every tracked mail */
  withdrawalLink: z.boolean(),
});
export type ConsentSettings = z.infer<typeof ConsentSettings>;
export const DEFAULT_CONSENT_SETTINGS: ConsentSettings = {
  consentDefault: 'always',
  trackOpens: true,
  trackClicks: true,
  trackLanding: true,
  withdrawalLink: false,
};

/** one contact's consent as the collector has it; `mode` null = the account default */
export const ContactConsent = z.object({
  email: z.string(),
  mode: ConsentMode.nullable(),
  state: ConsentState,
  stateAt: z.string().nullable(),
  updatedAt: z.string(),
  /** the account's change counter: desktops pull `after` the highest they have */
  version: z.number().int().positive(),
});
export type ContactConsent = z.infer<typeof ContactConsent>;

export const ContactConsentQuery = z
  .object({
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
  })
  .strict();
export const ContactConsentPage = z.object({
  contacts: z.array(ContactConsent),
  next: z.number().int().min(0),
});
export type ContactConsentPage = z.infer<typeof ContactConsentPage>;

export const ContactModeUpdate = z
  .object({ email: z.email().max(320), mode: ConsentMode.nullable() })
  .strict();
export type ContactModeUpdate = z.infer<typeof ContactModeUpdate>;

/**
 * Why a recipient is not tracked (machine-readable, in the registration answer):
 * contact_never — the contact's mode is „nie tracken“; consent_missing — „nur nach
 * Einwilligung“ and no consent yet; consent_withdrawn — the prospect withdrew; shared_copy — one
 * copy goes to several recipients and one of them may not be tracked.
 */
export const UNTRACKED_REASONS = [
  'contact_never',
  'consent_missing',
  'consent_withdrawn',
  'shared_copy',
] as const;
export const UntrackedReason = z.enum(UNTRACKED_REASONS);
export type UntrackedReason = z.infer<typeof UntrackedReason>;

/** per recipient of a registration: tracked or not, and why */
export const RecipientTracking = z.object({
  email: z.string(),
  tracked: z.boolean(),
  reason: UntrackedReason.nullable(),
  /** what the tracked copy carries, by the account's switches */
  opens: z.boolean(),
  clicks: z.boolean(),
  /** „nur nach Einwilligung“ without consent yet (and sent individually): the link to the consent page */
  consentUrl: z.string().optional(),
});
export type RecipientTracking = z.infer<typeof RecipientTracking>;

/** the consent wording a prospect agrees to (its SHA-256 goes into the evidence record) */
export const CONSENT_WORDING_VERSION = '2026-12-1';
