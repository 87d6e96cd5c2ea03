import { z } from 'zod';
import type { SettingsDto } from '../../../src-shared/ipc';
import type { AppError } from '../../../src-shared/result';
import type { Cache } from '../cache';
import { mailOrigin } from '../secrets/bound';

/** Issue 19's settings: per mail account (its IMAP origin) on/off and the folder read as the inbox. */
export const MAILBOX_KEYS = {
  prefs: 'settings.mailboxSignals',
  lastScan: 'mailbox.lastScan',
} as const;

const MailboxPrefs = z.object({ enabled: z.boolean(), folder: z.string().min(1).max(200) });
export type MailboxPrefs = z.infer<typeof MailboxPrefs>;
/** what the cache holds, read back from disk: one entry per IMAP origin */
const PrefsByAccount = z.record(z.string(), MailboxPrefs);

/**
 * Off until the agent switches it on for the account: the watcher opens a second IMAP
 * connection to the agent's mailbox, which nobody should get without asking for it.
 */
export const DEFAULT_MAILBOX_PREFS: MailboxPrefs = { enabled: false, folder: 'INBOX' };

type ImapEndpoint = Parameters<typeof mailOrigin>[1];
type PrefsByAccount = z.infer<typeof PrefsByAccount>;

/** a damaged entry counts as never set (off), not as an error that stops the app */
function storedPrefs(cache: Cache): PrefsByAccount {
  const r = PrefsByAccount.safeParse(cache.meta.get<unknown>(MAILBOX_KEYS.prefs) ?? {});
  return r.success ? r.data : {};
}

export function mailboxAccountKey(imap: ImapEndpoint): string {
  return mailOrigin('imap', imap);
}

export function mailboxPrefs(cache: Cache, imap: ImapEndpoint): MailboxPrefs {
  return { ...DEFAULT_MAILBOX_PREFS, ...storedPrefs(cache)[mailboxAccountKey(imap)] };
}

export function setMailboxPrefs(cache: Cache, imap: ImapEndpoint, prefs: MailboxPrefs): void {
  cache.meta.set(MAILBOX_KEYS.prefs, { ...storedPrefs(cache), [mailboxAccountKey(imap)]: prefs });
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
