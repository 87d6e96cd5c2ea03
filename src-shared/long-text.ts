import { z } from 'zod';

/**
 * The preview of a long text the agent edits (the Widerrufsbelehrung): rendered by the core with
 * the same code that makes the mail, the PDF and the landing page from it, so the preview shows
 * what the prospect gets. Blocks, not HTML: the renderer builds elements from them, nothing of
 * the text is ever parsed as markup.
 */
export const LongTextBlock = z.object({ kind: z.enum(['h1', 'h2', 'p']), text: z.string() });
export type LongTextBlock = z.infer<typeof LongTextBlock>;

export const LongTextPreviewDto = z.object({
  blocks: z.array(LongTextBlock),
  /** placeholders without a value yet; shown in the text as „[label]“ */
  missing: z.array(z.string()),
});
export type LongTextPreviewDto = z.infer<typeof LongTextPreviewDto>;

export const longTextOperations = {
  'longText.preview': [
    z.object({ text: z.string().max(50_000), fill: z.enum(['widerruf', 'none']) }).strict(),
    LongTextPreviewDto,
  ],
} as const;
