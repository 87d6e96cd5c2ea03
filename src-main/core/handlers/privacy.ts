import type { MeResponse } from '../../../src-shared/api';
import type { PrivacyOverviewDto } from '../../../src-shared/ipc-privacy';
import { msg } from '../../../src-shared/messages';
import { err, ok, type Result } from '../../../src-shared/result';
import type { CollectorClient } from '../collector/client';
import { KEYS } from '../settings';
import { notConfigured, type CoreContext, type DomainHandlers } from './context';

/**
 * Issue 17 part 2: an admin's privacy actions (docs/privacy.md). Everything happens on the
 * collector; an erasure also leaves this computer's cache at once, other desktops drop the
 * events on their next sync (tombstones).
 */
export function privacyHandlers(ctx: CoreContext): DomainHandlers<'privacy'> {
  const { cache } = ctx;

  function adminClient(): Result<CollectorClient> {
    const client = ctx.client();
    const me = cache.meta.get<MeResponse>(KEYS.me);
    if (!client || !me) return err(notConfigured('collector'));
    if (me.role !== 'admin') return err({ code: 'forbidden', message: msg('privacyOnlyAdmin') });
    return ok(client);
  }

  async function overview(client: CollectorClient): Promise<Result<PrivacyOverviewDto>> {
    const holds = await client.privacyHolds();
    if (!holds.ok) return holds;
    const s = await client.privacySettings();
    return ok({ holds: holds.value.holds, retentionDays: s.ok ? s.value.retentionDays : 365 });
  }

  return {
    'privacy.overview': async () => {
      const c = adminClient();
      return c.ok ? overview(c.value) : c;
    },
    'privacy.setHold': async ({ email, reason }) => {
      const c = adminClient();
      if (!c.ok) return c;
      const r = await c.value.setPrivacyHold(email, reason);
      return r.ok ? overview(c.value) : r;
    },
    'privacy.liftHold': async ({ email }) => {
      const c = adminClient();
      if (!c.ok) return c;
      const r = await c.value.liftPrivacyHold(email);
      return r.ok ? overview(c.value) : r;
    },
    'privacy.export': async ({ email }) => {
      const c = adminClient();
      if (!c.ok) return c;
      const json = await c.value.subjectExport(email, 'json');
      if (!json.ok) return json;
      const pdf = await c.value.subjectExport(email, 'pdf');
      if (!pdf.ok) return pdf;
      const text = json.value.toString('utf8');
      const parsed = JSON.parse(text) as { email?: string; sections?: Record<string, unknown[]> };
      const counts = Object.fromEntries(Object.entries(parsed.sections ?? {}).map(([k, v]) => [k, v.length]));
      return ok({ email: parsed.email ?? email.toLowerCase(), json: text, pdfBase64: pdf.value.toString('base64'), counts });
    },
    'privacy.erase': async ({ email, reason }) => {
      const c = adminClient();
      if (!c.ok) return c;
      const r = await c.value.eraseSubject(email, reason);
      if (!r.ok) return r;
      if (r.value.kept.length > 0) return ok({ ...r.value, local: { events: 0, signals: 0, contacts: 0 } });
      const local = cache.erased.eraseAddress(email);
      for (const activityId of local.activities) ctx.emit({ kind: 'activity.changed', activityId });
      return ok({
        ...r.value,
        local: { events: local.events, signals: local.signals, contacts: local.contacts },
      });
    },
  };
}
