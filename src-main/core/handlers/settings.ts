import { msg } from '../../../src-shared/messages';
import type { MeResponse } from '../../../src-shared/api';
import { err, ok } from '../../../src-shared/result';
import { testConnection } from '../mail';
import { keepOnlyFor, mailOrigin, setBoundSecret } from '../secrets/bound';
import {
  KEYS,
  SECRET_KEYS,
  mailAccountWithSecrets,
  settingsDto,
  storedMailPasswords,
  stripPasswords,
} from '../settings';
import { notConfigured, type CoreContext, type DomainHandlers } from './context';
import { setMailboxPrefs } from '../mailbox/settings';
import type { StoredMailAccount } from '../settings';

/** Settings: mail account, collector connection, account-wide tracking switch, preferences. */
export function settingsHandlers(ctx: CoreContext): DomainHandlers<'settings'> {
  const { cache, secrets, options, runner, emit } = ctx;
  const settingsResult = async () => ok(await settingsDto(cache, secrets));

  return {
    'settings.get': settingsResult,
    /** issue 19: createCore wakes the INBOX watcher after this */
    'settings.setMailboxSignals': async ({ enabled, folder }) => {
      const acct = cache.meta.get<StoredMailAccount>(KEYS.mailAccount);
      if (!acct) return err(notConfigured('mail'));
      setMailboxPrefs(cache, acct.imap, { enabled, folder });
      emit({ kind: 'settings.changed' });
      return settingsResult();
    },
    'settings.saveMailAccount': async (input) => {
      // a password is kept for the address it was typed in for; a new address without one drops it
      for (const side of ['smtp', 'imap'] as const) {
        const key = side === 'smtp' ? SECRET_KEYS.smtpPassword : SECRET_KEYS.imapPassword;
        const origin = mailOrigin(side, input[side]);
        const password = input[side].password;
        if (password !== undefined) await setBoundSecret(secrets, key, origin, password);
        else await keepOnlyFor(secrets, key, origin);
      }
      cache.meta.set(KEYS.mailAccount, stripPasswords(input));
      emit({ kind: 'settings.changed' });
      ctx.emitStatus();
      runner.kick();
      return settingsResult();
    },
    'settings.testMailAccount': async (input) => {
      // a side with a user but neither a typed nor a stored password for this very address is
      // not logged in to with anything: the dialog asks for the password
      const kept = await storedMailPasswords(input, secrets);
      const missing = {
        smtp: input.smtp.user !== '' && input.smtp.password === undefined && kept.smtp === null,
        imap: input.imap.user !== '' && input.imap.password === undefined && kept.imap === null,
      };
      const asked = (server: 'SMTP' | 'IMAP') => ({
        ok: false,
        message: msg('passwordNeededForServer', { server }),
        detail: null,
      });
      const askedSmtp = () => ({ ...asked('SMTP'), login: null });
      const askedImap = () => ({ ...asked('IMAP'), sentFolder: null });
      if (missing.smtp && missing.imap) return ok({ smtp: askedSmtp(), imap: askedImap() });
      const report = await testConnection(await mailAccountWithSecrets(input, secrets), options.mailOptions);
      if (missing.smtp) report.smtp = askedSmtp();
      if (missing.imap) report.imap = askedImap();
      return ok(report);
    },
    'settings.saveCollector': async (input) => {
      const r = await ctx.connectCollector(input.url, input.token);
      if (!r.ok) return r;
      runner.kick();
      return settingsResult();
    },
    'settings.setTrackingEnabled': async ({ enabled }) => {
      const client = ctx.client();
      const me = cache.meta.get<MeResponse>(KEYS.me);
      if (!client || !me) return err(notConfigured('collector'));
      if (me.role !== 'admin') {
        return err({
          code: 'forbidden',
          message: msg('onlyAdminTracking'),
        });
      }
      const r = await client.putSettings({ trackingEnabled: enabled });
      if (!r.ok) return r;
      cache.meta.set(KEYS.trackingEnabled, r.value.trackingEnabled);
      emit({ kind: 'settings.changed' });
      return settingsResult();
    },
    'settings.setSharesNetwork': async ({ shared }) => {
      const client = ctx.client();
      const me = cache.meta.get<MeResponse>(KEYS.me);
      if (!client || !me) return err(notConfigured('collector'));
      if (me.role !== 'admin') {
        return err({
          code: 'forbidden',
          message: msg('onlyAdminAccountSetting'),
        });
      }
      const r = await client.putSettings({ sharesNetworkWithProspects: shared });
      if (!r.ok) return r;
      cache.meta.set(KEYS.sharesNetwork, r.value.sharesNetworkWithProspects === true);
      emit({ kind: 'settings.changed' });
      return settingsResult();
    },
    'settings.setNotificationPrefs': async (prefs) => {
      cache.meta.set(KEYS.notifications, prefs);
      emit({ kind: 'settings.changed' });
      return settingsResult();
    },
    'settings.setLanguage': async ({ language }) => {
      cache.meta.set(KEYS.language, language);
      emit({ kind: 'settings.changed' });
      return settingsResult();
    },
    'settings.startLocalTestMode': async () => {
      const lc = await ctx.restartLocalCollector();
      if (!lc) {
        return err({
          code: 'local_test_mode_unavailable',
          message: msg('localTestModeUnavailable'),
        });
      }
      const r = await ctx.connectCollector(lc.url, lc.adminToken);
      if (!r.ok) return r;
      cache.meta.set(KEYS.localTestMode, true);
      emit({ kind: 'settings.changed' });
      return settingsResult();
    },
  };
}
