import { err, ok } from '../../../src-shared/result';
import { settingsDto } from '../settings';
import {
  refreshTrackingDomain,
  removeTrackingDomain,
  setTrackingDomain,
  verifyTrackingDomain,
} from '../tracking-domain';
import { notConfigured, type CoreContext, type DomainHandlers } from './context';

/** Issue 20: the account's own tracking domain (Einstellungen › Verwaltung, admins change it). */
export function trackingDomainHandlers(ctx: CoreContext): DomainHandlers<'trackingDomain'> {
  const { cache, secrets, emit } = ctx;
  const done = async () => {
    emit({ kind: 'settings.changed' });
    return ok(await settingsDto(cache, secrets));
  };
  return {
    'trackingDomain.set': async ({ host }) => {
      const r = await setTrackingDomain(cache, ctx.client(), host);
      return r.ok ? done() : r;
    },
    'trackingDomain.verify': async () => {
      const r = await verifyTrackingDomain(cache, ctx.client());
      return r.ok ? done() : r;
    },
    'trackingDomain.remove': async () => {
      const r = await removeTrackingDomain(cache, ctx.client());
      return r.ok ? done() : r;
    },
    'trackingDomain.refresh': async () => {
      const client = ctx.client();
      if (!client) return err(notConfigured('collector'));
      const r = await refreshTrackingDomain(cache, client);
      return r.ok ? done() : r;
    },
  };
}
