import { z } from 'zod';

/**
 * issue 16 on the desktop: „Nachweis exportieren“ for one recipient of an activity (with the
 * offer's id when the activity is an offer). The core fetches nachweis.json and nachweis.pdf from
 * the collector, checks the JSON with the offline verifier and hands both files to the adapter:
 * the Electron shell writes them into a folder the agent picks, the browser host (no file system
 * of its own) gets them back as downloads.
 */
export const EvidenceExportInput = z
  .object({ activityId: z.string().min(1).max(100), email: z.email().max(320) })
  .strict();
export type EvidenceExportInput = z.infer<typeof EvidenceExportInput>;

export const EvidenceFileDownload = z.object({
  name: z.enum(['nachweis.json', 'nachweis.pdf']),
  mime: z.enum(['application/json', 'application/pdf']),
  base64: z.string(),
});
export type EvidenceFileDownload = z.infer<typeof EvidenceFileDownload>;

export const EvidenceSaved = z.discriminatedUnion('kind', [
  /** written by the shell into this folder */
  z.object({ kind: z.literal('folder'), path: z.string() }),
  /** for the browser host: the renderer offers each file as a download */
  z.object({ kind: z.literal('download'), folderName: z.string(), files: z.array(EvidenceFileDownload) }),
  /** the agent closed the save dialog: nothing written */
  z.object({ kind: z.literal('cancelled') }),
]);
export type EvidenceSaved = z.infer<typeof EvidenceSaved>;

export const EvidenceExportDto = z.object({
  email: z.string(),
  offerId: z.string().nullable(),
  records: z.number().int().nonnegative(),
  keyFingerprint: z.string(),
  /** the last signed chain head the file proves up to */
  signedHead: z.number().int().nonnegative(),
  saved: EvidenceSaved,
});
export type EvidenceExportDto = z.infer<typeof EvidenceExportDto>;

export const evidenceOperations = {
  'evidence.export': [EvidenceExportInput, EvidenceExportDto],
} as const;
