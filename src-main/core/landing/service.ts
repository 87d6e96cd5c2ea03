import { randomUUID } from 'node:crypto';
import type { Declaration } from '../../../src-shared/api';
import type { CoreLogger } from '../api';
import type { Cache } from '../cache';
import type { CollectorClient } from '../collector/client';
import { renderWiderrufPdf } from '../legal/pdf';
import { KEYS, type StoredMailAccount } from '../settings';
import {
  CONFIRMATION_PDF_NAME,
  confirmationSubject,
  renderConfirmationMail,
  withWiderruf,
} from './confirmation-mail';

const DEVICE_KEY = 'device.id';

export interface LandingServiceDeps {
  cache: Cache;
  collector(): CollectorClient | null;
  log: CoreLogger;
  /** a confirmation mail was put into the outbox: announce it and wake the runner */
  onQueued(activityId: string): Promise<void>;
}

/** the gate right before the SMTP transaction of an outbox activity */
export type SendGate = 'go' | 'drop' | 'wait';

/**
 * The desktop's half of the legal chain after the landing page: it learns of declarations on
 * sync, claims each confirmation mail on the collector (one desktop only), queues it in the
 * outbox like every mail (the agent's SMTP, a clean copy in Sent), renews the claim right before
 * sending and reports it sent. Everything is persisted before the next network step, so a
 * restart resumes without a second mail. It also pushes the landing-page locks the agent set,
 * marked unpushed until the collector has them (offline changes are not lost).
 */
export function createLandingService(deps: LandingServiceDeps) {
  const { cache, log } = deps;
  let polling: Promise<void> | null = null;

  function device(): string {
    let id = cache.meta.get<string>(DEVICE_KEY);
    if (!id) {
      id = `desktop-${randomUUID()}`;
      cache.meta.set(DEVICE_KEY, id);
    }
    return id;
  }

  async function queue(d: Declaration, createdAt: string): Promise<string | null> {
    const account = cache.meta.get<StoredMailAccount>(KEYS.mailAccount);
    if (!account || !d.recipientEmail) return null;
    const mail = renderConfirmationMail(d);
    const attachments = withWiderruf(d)
      ? [
          {
            filename: CONFIRMATION_PDF_NAME,
            contentType: 'application/pdf',
            content: await renderWiderrufPdf({
              text: d.property.cancellationPolicy.text,
              versionLabel: `Fassung ${d.property.cancellationPolicy.version}`,
              sender: [d.property.agent.company ?? d.property.agent.name, d.property.agent.email].join(' · '),
              subject: [d.property.title, d.property.address].filter((x) => x).join(' – '),
              createdAt: new Date(d.declaredAt),
            }),
          },
        ]
      : [];
    const id = randomUUID();
    const domain = account.fromEmail.split('@')[1] ?? 'blitz.local';
    const queued = cache.tx(() => {
      if (!cache.landing.queueMail(d.id, id, d.offerId, createdAt)) return false;
      cache.activities.insert({
        id,
        kind: 'email',
        subject: confirmationSubject(d),
        html: mail.html,
        text: mail.text,
        // a legal confirmation carries no pixel and no rewritten link
        trackRequested: false,
        tracked: false,
        sentIndividually: true,
        // one Message-ID per declaration: a second copy would be recognisable as the same mail
        messageId: `<bestaetigung-${d.id}@${domain}>`,
        createdAt,
        sentAt: null,
        fromOtherDevice: false,
        recipients: [{ kind: 'to', email: d.recipientEmail ?? '', name: d.recipientName }],
        attachments,
      });
      cache.outbox.create(id, createdAt);
      return true;
    });
    return queued ? id : null;
  }

  async function pollOnce(): Promise<void> {
    const client = deps.collector();
    if (!client || !cache.meta.get(KEYS.mailAccount)) return;
    await report();
    const open = await client.openDeclarations();
    if (!open.ok) {
      log.warn({ code: open.error.code }, 'confirmations: open declarations not read');
      return;
    }
    for (const d of open.value.declarations) {
      if (d.items.some((i) => i.confirmation === 'contact_permission') && d.recipientEmail)
        cache.landing.grantPermission(d.recipientEmail, d.declaredAt);
      if (cache.landing.mailKnown(d.id) !== null) continue;
      const claim = await client.claimDeclaration(d.id, device());
      if (!claim.ok) {
        if (claim.error.status !== 409)
          log.warn({ code: claim.error.code, declarationId: d.id }, 'confirmations: claim failed');
        continue;
      }
      const id = await queue(claim.value.declaration, new Date().toISOString());
      if (id) await deps.onQueued(id);
    }
  }

  /** mails accepted by SMTP whose report did not reach the collector yet */
  async function report(): Promise<void> {
    const client = deps.collector();
    if (!client) return;
    for (const m of cache.landing.mailsToReport()) {
      const act = cache.activities.get(m.activity_id);
      const res = await client.declarationSent(m.declaration_id, device(), act?.messageId ?? '');
      if (res.ok) cache.landing.setMailState(m.declaration_id, 'reported');
      else if (res.error.status === 409) cache.landing.setMailState(m.declaration_id, 'dropped');
      else return;
    }
  }

  async function pushLocks(): Promise<void> {
    const client = deps.collector();
    if (!client) return;
    for (const p of cache.landing.unpushedProperties()) {
      const r = await client.putPropertyLock(p.property_id, { status: p.status, lockAll: p.lock_all === 1 });
      if (!r.ok) return;
      cache.landing.propertyPushed(p.property_id, p.updated_at);
    }
    for (const c of cache.landing.unpushedContacts()) {
      const r = await client.putContactLock({ email: c.email, archived: c.archived });
      if (!r.ok) return;
      cache.landing.contactPushed(c.email, c.archivedAt);
    }
    for (const d of cache.landing.unpushedDeals()) {
      const r = await client.putDealLock({
        propertyKey: d.property_id,
        email: d.email,
        rejected: d.rejected === 1,
      });
      if (!r.ok) return;
      cache.landing.dealPushed(d.property_id, d.email, d.updated_at);
    }
  }

  return {
    device,
    /** one poll at a time; callers may call it as often as they like */
    poll(): Promise<void> {
      polling ??= (async () => {
        try {
          await pushLocks();
          await pollOnce();
        } catch (e) {
          log.error({ err: e instanceof Error ? e.message : String(e) }, 'confirmations: poll failed');
        } finally {
          polling = null;
        }
      })();
      return polling;
    },
    pushLocks,
    /** right before SMTP: a confirmation mail goes only while this desktop holds its claim */
    async beforeSend(activityId: string): Promise<SendGate> {
      const m = cache.landing.mailForActivity(activityId);
      if (!m) return 'go';
      if (m.state !== 'queued') return m.state === 'dropped' ? 'drop' : 'go';
      const client = deps.collector();
      if (!client) return 'wait';
      const r = await client.claimDeclaration(m.declaration_id, device());
      if (r.ok) return 'go';
      if (r.error.status === 409 || r.error.status === 404) {
        cache.landing.setMailState(m.declaration_id, 'dropped');
        return 'drop';
      }
      return 'wait';
    },
    /** SMTP accepted it: persisted first, then reported (retried on every poll until it lands) */
    async afterSent(activityId: string): Promise<void> {
      const m = cache.landing.mailForActivity(activityId);
      if (!m || m.state !== 'queued') return;
      cache.landing.setMailState(m.declaration_id, 'sent');
      await report().catch(() => undefined);
    },
    /** a Kontakterlaubnis arrived as an event (sync) */
    contactPermission(email: string, at: string): boolean {
      return cache.landing.grantPermission(email, at);
    },
  };
}
export type LandingService = ReturnType<typeof createLandingService>;
