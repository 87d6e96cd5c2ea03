import { createTranslator } from '../../src-main/core/i18n';
import type { OutboxErrorDto } from '../../src-shared/ipc';
import type { Message } from '../../src-shared/messages';

const tr = createTranslator();

/** a core message as the German UI shows it */
export function deText(m: Message | null | undefined): string {
  return m ? tr.message('de', m) : '';
}

/** a core message as the English UI shows it */
export function enText(m: Message | null | undefined): string {
  return m ? tr.message('en', m) : '';
}

/** an outbox error as the German UI shows it (message, then cause) */
export function outboxText(e: OutboxErrorDto | null | undefined, lang: 'de' | 'en' = 'de'): string {
  if (!e) return '';
  const t = lang === 'de' ? deText : enText;
  return [t(e.message), t(e.cause)].filter(Boolean).join(' ');
}
