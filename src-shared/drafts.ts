import { z } from 'zod';
import { ProspectLanguageSchema } from './prospect-language';

/**
 * „Neue E-Mail“ as the agent typed it, kept in the desktop cache until it is sent or discarded.
 * Addresses are kept as typed chips (not validated as e-mail: a draft may hold a half-finished
 * one); the body is the editor's HTML. Attached files are kept by their SHA-256 in the app's data
 * folder (`drafts.putFile`, core/drafts/files.ts) and listed here by it.
 */
export const DraftRecipient = z
  .object({ email: z.string().max(320), name: z.string().max(200).nullable() })
  .strict();
export type DraftRecipient = z.infer<typeof DraftRecipient>;

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const DraftAttachment = z
  .object({
    sha256: Sha256Hex,
    filename: z.string().min(1).max(255),
    contentType: z.string().max(255),
    size: z.number().int().min(0),
  })
  .strict();
export type DraftAttachment = z.infer<typeof DraftAttachment>;

export const DraftInput = z
  .object({
    /** absent: a new draft */
    id: z.uuid().optional(),
    to: z.array(DraftRecipient).max(500),
    cc: z.array(DraftRecipient).max(500),
    bcc: z.array(DraftRecipient).max(500),
    subject: z.string().max(1000),
    html: z.string().max(5_000_000),
    /** the „E-Mail tracken“ choice; null = follow the account switch */
    track: z.boolean().nullable(),
    individually: z.boolean(),
    /** the language of the notes under the mail (a draft saved before the choice existed: German) */
    prospectLanguage: ProspectLanguageSchema.default('de'),
    /** files attached so far (a draft saved before attachments were kept has none) */
    attachments: z.array(DraftAttachment).max(50).default([]),
  })
  .strict();
export type DraftInput = z.infer<typeof DraftInput>;
/** a draft as callers pass it (attachments may be left out) */
export type DraftInputIn = z.input<typeof DraftInput>;

export const DraftDto = DraftInput.required({ id: true }).extend({ updatedAt: z.string() });
export type DraftDto = z.infer<typeof DraftDto>;

export const DraftSummaryDto = z.object({
  id: z.string(),
  subject: z.string(),
  recipients: z.array(z.string()),
  /** the body's first words, as plain text */
  excerpt: z.string(),
  updatedAt: z.string(),
});
export type DraftSummaryDto = z.infer<typeof DraftSummaryDto>;

export const draftOperations = {
  'drafts.list': [z.object({}).strict(), z.array(DraftSummaryDto)],
  'drafts.get': [z.object({ id: z.string() }).strict(), DraftDto],
  'drafts.save': [DraftInput, z.object({ id: z.string(), updatedAt: z.string() })],
  'drafts.delete': [z.object({ id: z.string() }).strict(), z.object({ id: z.string() })],
  /** an attached file's bytes into the data folder, before the draft lists it (base64, ≤ 25 MB) */
  'drafts.putFile': [
    z.object({ contentBase64: z.string().max(35_000_000) }).strict(),
    z.object({ sha256: Sha256Hex, size: z.number().int() }),
  ],
  'drafts.readFile': [z.object({ sha256: Sha256Hex }).strict(), z.object({ contentBase64: z.string() })],
} as const;
