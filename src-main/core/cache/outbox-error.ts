import { OutboxErrorDto } from '../../../src-shared/outbox-error';
import { msg } from '../../../src-shared/messages';

/**
 * The outbox's error column holds an OutboxErrorDto as JSON (message key, cause, raw reply).
 * Rows written before message keys hold a German sentence: it is shown as it is.
 */
export function encodeOutboxError(e: OutboxErrorDto | null): string | null {
  return e === null ? null : JSON.stringify(e);
}

export function decodeOutboxError(text: string | null): OutboxErrorDto | null {
  if (text === null) return null;
  try {
    const parsed = OutboxErrorDto.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // an older row: plain text
  }
  return { message: msg('legacyText', { text }), cause: null, detail: null };
}
