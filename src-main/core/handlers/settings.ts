import type { MeResponse } from '../../../src-shared/api';
import { err, ok } from '../../../src-shared/result';
import { testConnection } from '../mail';
import { KEYS, SECRET_KEYS, mailAccountWithSecrets, settingsDto, stripPasswords } from '../settings';
import { notConfigured, type CoreContext, type DomainHandlers } from './context';

/** Settings: mail account, collector connection, account-wide tracking switch, preferences. */
export function settingsHandlers(ctx: CoreContext): DomainHandlers<'settings'> {
  const { cache, secrets, options, runner, emit } = ctx;
  const settingsResult = async () => ok(await settingsDto(cache, secrets));

  return {
    'settings.get': settingsResult,
    'settings.saveMailAccount': async (input) => {
      if (input.smtp.password !== undefined) await secrets.set(SECRET_KEYS.smtpPassword, input.smtp.password);
      if (input.imap.password !== undefined) await secrets.set(SECRET_KEYS.imapPassword, input.imap.password);
      cache.meta.set(KEYS.mailAccount, stripPasswords(input));
      emit({ kind: 'settings.changed' });
      ctx.emitStatus();
      runner.kick();
      return settingsResult();
    },
    'settings.testMailAccount': async (input) => {
      const report = await testConnection(await mailAccountWithSecrets(input, secrets), options.mailOptions);
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
          message: 'Nur ein Administrator kann das Tracking für das Konto umschalten.',
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
          message: 'Nur ein Administrator kann diese Kontoeinstellung ändern.',
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
          message: 'Der lokale Testmodus ist hier nicht verfügbar.',
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
