import { z } from 'zod';
import { ErasureOutcome, LegalHold } from './privacy';

/**
 * Issue 17 part 2, an admin's privacy actions on the desktop (Verwaltung › Datenschutz):
 * legal holds, the subject export (auskunft.json + auskunft.pdf) and the erasure.
 */
const Email = z.email().max(320);
const Reason = z.string().trim().min(3).max(500);

export const PrivacyOverviewDto = z.object({
  holds: z.array(LegalHold),
  retentionDays: z.number().int(),
});
export type PrivacyOverviewDto = z.infer<typeof PrivacyOverviewDto>;

export const SubjectExportDto = z.object({
  email: z.string(),
  /** auskunft.json as the collector wrote it */
  json: z.string(),
  /** auskunft.pdf, base64 */
  pdfBase64: z.string(),
  /** rows per kind, for the summary shown */
  counts: z.record(z.string(), z.number().int()),
});
export type SubjectExportDto = z.infer<typeof SubjectExportDto>;

export const SubjectErasureDto = ErasureOutcome.extend({
  /** what left this computer's cache at once (other desktops follow on their next sync) */
  local: z.object({ events: z.number().int(), signals: z.number().int(), contacts: z.number().int() }),
});
export type SubjectErasureDto = z.infer<typeof SubjectErasureDto>;

export const privacyOperations = {
  'privacy.overview': [z.object({}).strict(), PrivacyOverviewDto],
  'privacy.setHold': [z.object({ email: Email, reason: Reason }).strict(), PrivacyOverviewDto],
  'privacy.liftHold': [z.object({ email: Email }).strict(), PrivacyOverviewDto],
  'privacy.export': [z.object({ email: Email }).strict(), SubjectExportDto],
  'privacy.erase': [z.object({ email: Email, reason: Reason }).strict(), SubjectErasureDto],
} as const satisfies Record<string, readonly [z.ZodType, z.ZodType]>;
