import type { ConsentSettings } from '../../src-shared/consent';
import { CONSENT_KEYS } from './consent/service';
import type { MeResponse } from '../../src-shared/api';
import { EVENT_TYPES } from '../../src-shared/events';
import type { MailAccountInput, NotificationPrefs, SettingsDto } from '../../src-shared/ipc';
import type { SecretStore } from './api';
import type { Cache } from './cache';
import type { MailAccount } from './mail';
import { bindLegacySecret, collectorOrigin, getBoundSecret, mailOrigin } from './secrets/bound';
import { mailboxSettingsDto } from './mailbox/settings';
import type { TrackingDomain } from '../../src-shared/tracking-domain';

/** issue 20: the account's tracking domain as read from the collector (tracking-domain.ts) */
const TRACKING_DOMAIN_KEY = 'settings.trackingDomain';

/** Where each setting lives: the non-secret parts in the cache, the secrets in the SecretStore. */
export const KEYS = {
  mailAccount: 'settings.mailAccount',
  collectorUrl: 'settings.collectorUrl',
  me: 'settings.me',
  trackingEnabled: 'settings.trackingEnabled',
  sharesNetwork: 'settings.sharesNetworkWithProspects',
  notifications: 'settings.notifications',
  language: 'settings.language',
  localTestMode: 'settings.localTestMode',
} as const;

export const SECRET_KEYS = {
  smtpPassword: 'smtp.password',
  imapPassword: 'imap.password',
  collectorToken: 'collector.token',
} as const;

export type StoredMailAccount = Omit<MailAccountInput, 'smtp' | 'imap'> & {
  smtp: Omit<MailAccountInput['smtp'], 'password'>;
  imap: Omit<MailAccountInput['imap'], 'password'>;
};

export const DEFAULT_NOTIFICATION_PREFS: NotificationPrefs = {
  enabled: true,
  types: Object.fromEntries(EVENT_TYPES.map((t) => [t, true])) as NotificationPrefs['types'],
  sound: true,
};

export function stripPasswords(input: MailAccountInput): StoredMailAccount {
  const { password: _s, ...smtp } = input.smtp;
  const { password: _i, ...imap } = input.imap;
  return { ...input, smtp, imap };
}

export function notificationPrefs(cache: Cache): NotificationPrefs {
  const p = cache.meta.get<NotificationPrefs>(KEYS.notifications);
  return p
    ? { ...p, types: { ...DEFAULT_NOTIFICATION_PREFS.types, ...p.types } }
    : DEFAULT_NOTIFICATION_PREFS;
}

export function trackingEnabled(cache: Cache): boolean {
  return cache.meta.get<boolean>(KEYS.trackingEnabled) ?? true;
}

/** the stored passwords, each only if saved for exactly this server, port, user and security mode */
export async function storedMailPasswords(
  account: StoredMailAccount | MailAccountInput,
  secrets: SecretStore,
): Promise<{ smtp: string | null; imap: string | null }> {
  const [smtp, imap] = await Promise.all([
    getBoundSecret(secrets, SECRET_KEYS.smtpPassword, mailOrigin('smtp', account.smtp)),
    getBoundSecret(secrets, SECRET_KEYS.imapPassword, mailOrigin('imap', account.imap)),
  ]);
  return { smtp, imap };
}

/** the stored collector token, only if saved for this collector's origin */
export async function storedCollectorToken(url: string | null, secrets: SecretStore): Promise<string | null> {
  return url ? getBoundSecret(secrets, SECRET_KEYS.collectorToken, collectorOrigin(url)) : null;
}

/** Plain secrets of older versions: bound once to the addresses saved beside them. */
export async function bindLegacySecrets(cache: Cache, secrets: SecretStore): Promise<void> {
  const acct = cache.meta.get<StoredMailAccount>(KEYS.mailAccount);
  const url = cache.meta.get<string>(KEYS.collectorUrl);
  await bindLegacySecret(secrets, SECRET_KEYS.smtpPassword, acct ? mailOrigin('smtp', acct.smtp) : null);
  await bindLegacySecret(secrets, SECRET_KEYS.imapPassword, acct ? mailOrigin('imap', acct.imap) : null);
  await bindLegacySecret(secrets, SECRET_KEYS.collectorToken, url ? collectorOrigin(url) : null);
}

/**
 * The account with its passwords: an input's own passwords win; otherwise the stored ones, but
 * only for the address they were saved for (else '' — a stored secret never goes to another server).
 */
export async function mailAccountWithSecrets(
  stored: StoredMailAccount | MailAccountInput,
  secrets: SecretStore,
): Promise<MailAccount> {
  const given = stored as MailAccountInput;
  const kept = await storedMailPasswords(stored, secrets);
  const smtpPw = given.smtp.password ?? kept.smtp ?? '';
  const imapPw = given.imap.password ?? kept.imap ?? '';
  const imap: MailAccount['imap'] = {
    host: stored.imap.host,
    port: stored.imap.port,
    security: stored.imap.security,
    user: stored.imap.user,
    password: imapPw,
  };
  if (stored.imap.sentFolder) imap.sentFolder = stored.imap.sentFolder;
  return {
    fromName: stored.fromName,
    fromEmail: stored.fromEmail,
    smtp: {
      host: stored.smtp.host,
      port: stored.smtp.port,
      security: stored.smtp.security,
      user: stored.smtp.user,
      password: smtpPw,
    },
    imap,
  };
}

export async function settingsDto(cache: Cache, secrets: SecretStore): Promise<SettingsDto> {
  const acct = cache.meta.get<StoredMailAccount>(KEYS.mailAccount);
  const url = cache.meta.get<string>(KEYS.collectorUrl);
  const me = cache.meta.get<MeResponse>(KEYS.me);
  const [passwords, token] = await Promise.all([
    acct ? storedMailPasswords(acct, secrets) : { smtp: null, imap: null },
    storedCollectorToken(url, secrets),
  ]);
  const smtpPw = passwords.smtp;
  const imapPw = passwords.imap;
  return {
    mailAccount: acct
      ? {
          ...acct,
          smtp: { ...acct.smtp, hasPassword: smtpPw !== null },
          imap: { ...acct.imap, hasPassword: imapPw !== null },
        }
      : null,
    collector: url
      ? { url, hasToken: token !== null, user: me ? { name: me.name, email: me.email, role: me.role } : null }
      : null,
    trackingEnabled: trackingEnabled(cache),
    sharesNetworkWithProspects: cache.meta.get<boolean>(KEYS.sharesNetwork) ?? false,
    // issue 17: as last pulled from the collector (src-main/core/consent/service.ts)
    consent: cache.meta.get<ConsentSettings>(CONSENT_KEYS.settings) ?? null,
    notifications: notificationPrefs(cache),
    language: uiLanguage(cache),
    localTestMode: cache.meta.get<boolean>(KEYS.localTestMode) ?? false,
    secretsEncrypted: secrets.encrypted,
    mailboxSignals: mailboxSettingsDto(cache, acct ? acct.imap : null),
    trackingDomain: cache.meta.get<TrackingDomain | null>(TRACKING_DOMAIN_KEY) ?? null,
  };
}

/** the language the agent chose for the UI (and the core's notifications) */
export function uiLanguage(cache: Cache): 'de' | 'en' {
  return cache.meta.get<'de' | 'en'>(KEYS.language) ?? 'de';
}
