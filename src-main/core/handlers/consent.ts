import { DEFAULT_CONSENT_SETTINGS } from '../../../src-shared/consent';
import { err, ok } from '../../../src-shared/result';
import type { ConsentService } from '../consent/service';
import type { CoreContext, DomainHandlers } from './context';
import { settingsDto } from '../settings';

/**
 * Issue 17: contacts' tracking modes („immer tracken“, „nur nach Einwilligung“, „nie tracken“),
 * the account's default and the switches for opens, clicks and landing analytics. Stored on the
 * collector (it enforces them); the cache holds the synced copy the UI shows.
 */
export function consentHandlers(ctx: CoreContext, consent: ConsentService): DomainHandlers<'consent'> {
  return {
    'consent.contacts': async () => {
      await consent.poll();
      return ok({
        defaultMode: (consent.settings() ?? DEFAULT_CONSENT_SETTINGS).consentDefault,
        contacts: ctx.cache.consent.list(),
      });
    },
    'consent.setMode': async ({ email, mode }) => consent.setMode(email.trim().toLowerCase(), mode),
    'consent.setSettings': async (update) => {
      const r = await consent.putSettings(update);
      if (!r.ok) return err(r.error);
      return ok(await settingsDto(ctx.cache, ctx.secrets));
    },
  };
}
