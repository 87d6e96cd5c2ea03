import type { SettingsDto } from '../../../src-shared/ipc';
import type { AppError } from '../../../src-shared/result';
import type { Cache } from '../cache';
import { mailOrigin } from '../secrets/bound';

/** Issue 19's settings: per mail account (its IMAP origin) on/off and the folder read as the inbox. */
export const MAILBOX_KEYS = {
  prefs: 'settings.mailboxSignals',
  lastScan: 'mailbox.lastScan',
} as const;

export interface MailboxPrefs {
  enabled: boolean;
  folder: string;
}

export const DEFAULT_MAILBOX_PREFS: MailboxPrefs = { enabled: true, folder: 'INBOX' };

type ImapEndpoint = Parameters<typeof mailOrigin>[1];
type PrefsByAccount = Record<string, MailboxPrefs>;

export function mailboxAccountKey(imap: ImapEndpoint): string {
  return mailOrigin('imap', imap);
}

export function mailboxPrefs(cache: Cache, imap: ImapEndpoint): MailboxPrefs {
  const all = cache.meta.get<PrefsByAccount>(MAILBOX_KEYS.prefs) ?? {};
  return { ...DEFAULT_MAILBOX_PREFS, ...all[mailboxAccountKey(imap)] };
}

export function setMailboxPrefs(cache: Cache, imap: ImapEndpoint, prefs: MailboxPrefs): void {
  const all = cache.meta.get<PrefsByAccount>(MAILBOX_KEYS.prefs) ?? {};
  cache.meta.set(MAILBOX_KEYS.prefs, { ...all, [mailboxAccountKey(imap)]: prefs });
}

export function recordScan(cache: Cache, at: string | null, error: AppError | null): void {
  cache.meta.set(MAILBOX_KEYS.lastScan, { at, error: error ? error.message : null });
}

export function mailboxSettingsDto(cache: Cache, imap: ImapEndpoint | null): SettingsDto['mailboxSignals'] {
  if (!imap) return undefined;
  const p = mailboxPrefs(cache, imap);
  const last = cache.meta.get<{
    at: string | null;
    error: NonNullable<SettingsDto['mailboxSignals']>['error'];
  }>(MAILBOX_KEYS.lastScan);
  return { enabled: p.enabled, folder: p.folder, lastScanAt: last?.at ?? null, error: last?.error ?? null };
}
