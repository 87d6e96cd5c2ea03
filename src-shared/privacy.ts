import { z } from 'zod';
import type { EventType } from './events';

/**
 * Issue 17 part 2, the protocol of retention, legal holds, subject access and erasure
 * (docs/privacy.md „Aufbewahrung, Auskunft, Löschung“).
 *
 * Behavioural events say what a prospect did with a mail or a page; retention deletes them after
 * the account's period (default 365 days). Every other type is evidence (downloads the law asks
 * to prove, the Widerrufsbelehrung opened, legal confirmations, the confirmation mail, replies,
 * bounces): kept until the limitation period of the contact ends.
 */
export const BEHAVIOURAL_EVENT_TYPES = [
  'email.opened',
  'email.link_clicked',
  'landing.visited',
  'landing.link_opened',
  'landing.unit_liked',
  'landing.unit_unliked',
] as const satisfies readonly EventType[];

export function isBehavioural(type: string): boolean {
  return (BEHAVIOURAL_EVENT_TYPES as readonly string[]).includes(type);
}

export const DEFAULT_RETENTION_DAYS = 365;

/**
 * The end of the regular limitation period (§§ 195, 199 Abs. 1 BGB: three years, starting at the
 * end of the year the claim arose) for a contact whose last record is at `last`: records may be
 * deleted from the returned instant on (1 January of the fourth year after, 00:00 UTC).
 */
export function limitationEnds(last: Date): Date {
  return new Date(Date.UTC(last.getUTCFullYear() + 4, 0, 1));
}

/** an address as the collector compares it: trimmed and lower-cased */
export function subjectKey(email: string): string {
  return email.trim().toLowerCase();
}

export const SubjectEmail = z.string().trim().min(3).max(320).pipe(z.email());

export const PrivacySettings = z.object({ retentionDays: z.number().int().min(1).max(36500) }).strict();
export type PrivacySettings = z.infer<typeof PrivacySettings>;

export const LegalHold = z.object({
  email: z.string(),
  reason: z.string(),
  setBy: z.string(),
  setAt: z.string(),
});
export type LegalHold = z.infer<typeof LegalHold>;

export const LegalHoldsResponse = z.object({ holds: z.array(LegalHold) });
export type LegalHoldsResponse = z.infer<typeof LegalHoldsResponse>;

/** PUT /api/v1/privacy/holds (admin) */
export const SetLegalHoldRequest = z
  .object({ email: SubjectEmail, reason: z.string().trim().min(3).max(500) })
  .strict();
export type SetLegalHoldRequest = z.infer<typeof SetLegalHoldRequest>;

/** POST /api/v1/privacy/holds/lift (admin) */
export const LiftLegalHoldRequest = z.object({ email: SubjectEmail }).strict();
export const LiftLegalHoldResponse = z.object({ lifted: z.boolean() });

/** POST /api/v1/privacy/subject/erase (admin) */
export const EraseSubjectRequest = z
  .object({ email: SubjectEmail, reason: z.string().trim().min(3).max(500) })
  .strict();
export type EraseSubjectRequest = z.infer<typeof EraseSubjectRequest>;

/** what an erasure did: rows removed per kind, and what a legal hold kept */
export const ErasureOutcome = z.object({
  erased: z.record(z.string(), z.number().int()),
  kept: z.array(z.object({ kind: z.string(), count: z.number().int(), hold: z.string() })),
});
export type ErasureOutcome = z.infer<typeof ErasureOutcome>;

/**
 * GET /api/v1/events/deleted?after=N&limit=N: ids of events the collector deleted (retention,
 * erasure) with id > after, visible as events are (an agent: their messages'). A desktop keeps
 * `next` as its cursor and drops these events from its cache. No address in it.
 */
export const DeletedEventsResponse = z.object({
  deleted: z.array(z.string()),
  /** those of `deleted` an erasure removed: the desktop forgets their recipients' addresses too */
  erased: z.array(z.string()).default([]),
  next: z.number().int().nonnegative(),
});
export type DeletedEventsResponse = z.infer<typeof DeletedEventsResponse>;
