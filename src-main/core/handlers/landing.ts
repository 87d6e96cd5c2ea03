import { msg } from '../../../src-shared/messages';
import type { AccountDocumentsDto, PropertyLandingDto } from '../../../src-shared/ipc';
import { err, ok, type Result } from '../../../src-shared/result';
import { accountDocument, saveAccountDocument } from '../legal/service';
import { versionLabel } from '../legal/store';
import type { LandingService } from '../landing/service';
import { notConfigured, type CoreContext, type DomainHandlers } from './context';

/**
 * The legal form's inputs and the landing-page locks: contacts (Verbraucher/Unternehmer,
 * archived, Kontakterlaubnis), a property's status, „alle Landing Pages sperren“, buyer's
 * commission and Absagen, the account's AGB and Datenschutzerklärung. Every lock is stored here
 * first and pushed to the collector (now, or on the next sync when offline).
 */
export function landingHandlers(ctx: CoreContext, landing: LandingService): DomainHandlers<'landing'> {
  const { cache } = ctx;
  const now = () => new Date().toISOString();

  async function property(propertyId: string, fresh = false): Promise<Result<PropertyLandingDto>> {
    if (!cache.properties.get(propertyId))
      return err({ code: 'not_found', message: msg('propertyNotFound'), detail: propertyId });
    const p = cache.landing.property(propertyId);
    const rejected = cache.landing.rejections(propertyId);
    const client = ctx.client();
    let lockStatuses: PropertyLandingDto['lockStatuses'] = null;
    if (client && fresh) {
      const s = await client.landingLockSettings();
      if (s.ok) lockStatuses = s.value.statuses;
    }
    return ok({
      ...p,
      lockStatuses,
      prospects: cache.landing.prospects(propertyId).map((x) => ({
        email: x.email,
        name: x.name,
        rejected: rejected.get(x.email.toLowerCase()) ?? false,
      })),
    });
  }

  const documents = (): AccountDocumentsDto => {
    const one = (kind: 'agb' | 'datenschutz') => {
      const v = accountDocument(cache, kind);
      return v ? { version: v.version, label: versionLabel(v), text: v.text } : null;
    };
    return { agb: one('agb'), datenschutz: one('datenschutz') };
  };

  return {
    'landing.contacts': async () => ok(cache.landing.contacts()),
    'landing.updateContact': async ({ email, kind, archived }) => {
      if (kind) cache.landing.setKind(email, kind, now());
      if (archived !== undefined) cache.landing.setArchived(email, archived, now());
      await landing.pushLocks().catch(() => undefined);
      const c = cache.landing.contact(email);
      return c ? ok(c) : err({ code: 'not_found', message: msg('contactNotFound'), detail: email });
    },
    'landing.property': async ({ propertyId }) => property(propertyId, true),
    'landing.setProperty': async ({ propertyId, status, lockAll, buyerCommission }) => {
      if (!cache.properties.get(propertyId))
        return err({ code: 'not_found', message: msg('propertyNotFound'), detail: propertyId });
      cache.landing.setProperty({ propertyId, status, lockAll, buyerCommission }, now());
      await landing.pushLocks().catch(() => undefined);
      return property(propertyId, true);
    },
    'landing.setRejected': async ({ propertyId, email, rejected }) => {
      cache.landing.setRejected(propertyId, email, rejected, now());
      await landing.pushLocks().catch(() => undefined);
      return property(propertyId, true);
    },
    'landing.setLockStatuses': async ({ propertyId, statuses }) => {
      const client = ctx.client();
      if (!client) return err(notConfigured('collector'));
      const r = await client.putLandingLockSettings({ statuses });
      if (!r.ok)
        return err({
          code: r.error.code,
          message: r.error.status === 403 ? msg('onlyAdminLockStatuses') : msg('lockSettingsNotSaved'),
          detail: r.error.detail ?? r.error.code,
        });
      return property(propertyId, true);
    },
    'landing.documents': async () => ok(documents()),
    'landing.saveDocument': async ({ kind, text }) => {
      saveAccountDocument(cache, kind, text);
      return ok(documents());
    },
  };
}
