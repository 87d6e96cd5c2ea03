import { msg, type MessageKey } from '../../../src-shared/messages';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  OFFER_TOTAL_BYTES_MAX,
  OfferProperty,
  type OfferEvidence,
  type OfferStatus,
  type PublishOfferResponse,
} from '../../../src-shared/api';
import type {
  OfferEvidenceListDto,
  OfferPreviewDto,
  OfferSendInput,
  OfferStateDto,
  PropertyDto,
} from '../../../src-shared/ipc';
import { err, ok, type AppError, type Result } from '../../../src-shared/result';
import type { Cache } from '../cache';
import type { CollectorClient } from '../collector/client';
import type { CollectorError } from '../collector/errors';
import { accountDocument, agentProfile, currentWiderruf, filledWiderruf } from '../legal/service';
import { renderWiderrufPdf } from '../legal/pdf';
import { versionLabel } from '../legal/store';
import { createBlobFolder } from '../properties/files';
import type { PropertyService } from '../properties/service';
import { formatAddress } from '../properties/store';
import { KEYS, trackingEnabled, type StoredMailAccount } from '../settings';
import { defaultSubject, renderOfferMail } from './mail';
import { prospectTexts } from '../../../src-shared/i18n/prospect';
import type { OfferFileRef } from './store';

export const WIDERRUF_PDF_NAME = 'Widerrufsbelehrung und Muster-Widerrufsformular.pdf';

type SendInput = z.output<typeof OfferSendInput>;
type Blocker = OfferPreviewDto['blockers'][number];

export interface OfferServiceDeps {
  cache: Cache;
  dataDir: string;
  properties: PropertyService;
  collector(): CollectorClient | null;
}

interface Composed {
  property: OfferProperty;
  files: (OfferFileRef & { bytes: Buffer })[];
  policy: string;
  policyLabel: string;
  legalVersion: number;
  subject: string;
  blockers: Blocker[];
}

/** the collector's roles: a floor plan is a download (PDF) or part of the gallery (image) */
function collectorRole(f: PropertyDto['files'][number]): OfferFileRef['role'] {
  if (f.role === 'expose') return 'expose';
  if (f.role === 'image') return 'image';
  return f.contentType === 'application/pdf' ? 'document' : 'image';
}

/**
 * The collector client's messages promise an automatic retry, which is true for the outbox and the
 * sync but not for a button the agent pressed: say what did not happen and that it is up to them.
 */
function manualActionError(e: CollectorError, action: 'status' | 'evidence' | 'evidenceKept'): AppError {
  const keep = { code: e.code, ...(e.detail !== undefined ? { detail: e.detail } : {}) };
  const unreachable = e.code === 'collector_unreachable';
  if (unreachable || e.transient) {
    const keys: Record<typeof action, MessageKey> = {
      status: unreachable ? 'offerStatusUnreachable' : 'offerStatusBusy',
      evidence: unreachable ? 'offerEvidenceUnreachable' : 'offerEvidenceBusy',
      evidenceKept: unreachable ? 'offerEvidenceKeptUnreachable' : 'offerEvidenceKeptBusy',
    };
    const key = keys[action];
    return { ...keep, message: msg(key), transient: true };
  }
  if (e.status === 404) return { ...keep, message: msg('offerUnknownOnCollector'), transient: false };
  return e;
}

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * „Angebot senden“: an offer is a tracked e-mail sent per recipient whose outbox gains one step,
 * publishing the property on the collector (published) before any copy goes out, so every
 * prospect's copy carries their own landing page.
 *
 * Offers need the collector: with the account switch off there is no landing page to link, so
 * Blitz refuses to send an offer instead of mailing a half offer (documented decision).
 */
export function createOfferService(deps: OfferServiceDeps) {
  const { cache } = deps;
  const offerBlobs = createBlobFolder(join(deps.dataDir, 'offers'));

  /** the account's AGB and Datenschutzerklärung, when stored: each offer carries its version */
  function documentsForOffer(): Pick<OfferProperty, 'terms' | 'privacy'> {
    const terms = accountDocument(cache, 'agb');
    const privacy = accountDocument(cache, 'datenschutz');
    return {
      ...(terms ? { terms: { version: versionLabel(terms), text: terms.text } } : {}),
      ...(privacy ? { privacy: { version: versionLabel(privacy), text: privacy.text } } : {}),
    };
  }

  function compose(input: SendInput): Result<Composed> {
    const prop = cache.properties.get(input.propertyId);
    if (!prop)
      return err({
        code: 'not_found',
        message: msg('propertyNotFound'),
        detail: input.propertyId,
      });
    const blockers: Blocker[] = [];
    const account = cache.meta.get<StoredMailAccount>(KEYS.mailAccount);
    if (!account) blockers.push({ code: 'mail_not_configured', message: msg('mailNotConfigured') });
    if (!deps.collector())
      blockers.push({
        code: 'collector_not_configured',
        message: msg('collectorNotConfigured'),
      });
    else if (!trackingEnabled(cache))
      blockers.push({
        code: 'offer_tracking_disabled',
        message: msg('offerTrackingDisabled'),
      });
    const legal = currentWiderruf(cache);
    if (!legal.ok) return legal;
    const filled = filledWiderruf(
      cache,
      legal.value,
      [prop.title, formatAddress(prop)].filter((x) => x).join(', '),
    );
    if (filled.missing.length > 0)
      blockers.push({
        code: 'legal_placeholders_open',
        message: msg('offerPlaceholdersOpen', { list: filled.missing.join(', ') }),
      });
    const label = versionLabel(legal.value);
    const profile = agentProfile(cache);
    const files: Composed['files'] = [];
    let total = 0;
    for (const f of prop.files) {
      const r = deps.properties.readFile(prop.id, f.id);
      if (!r.ok) {
        blockers.push({ code: 'file_missing', message: msg('offerFileMissing', { name: f.name }) });
        continue;
      }
      total += r.value.bytes.length;
      files.push({
        role: collectorRole(f),
        name: f.name,
        contentType: f.contentType,
        sha256: f.sha256,
        size: f.size,
        bytes: r.value.bytes,
      });
    }
    if (files.filter((f) => f.role === 'expose').length > 1)
      blockers.push({ code: 'offer_two_exposes', message: msg('offerTwoExposes') });
    if (total > OFFER_TOTAL_BYTES_MAX)
      blockers.push({
        code: 'offer_too_large',
        message: msg('offerTooLarge', { mb: OFFER_TOTAL_BYTES_MAX / 1024 / 1024 }),
      });
    const commission = (prop.commissionNotice ?? '').trim() || profile.commissionNotice.trim();
    const candidate = {
      title: prop.title,
      address: formatAddress(prop),
      ...(prop.price !== null ? { price: prop.price } : {}),
      ...(prop.area !== null && prop.area > 0 ? { area: prop.area } : {}),
      ...(prop.rooms !== null && prop.rooms > 0 ? { rooms: prop.rooms } : {}),
      description: prop.description,
      links: prop.links,
      ...(prop.units.length > 0 ? { units: prop.units } : {}),
      agent: {
        name: account?.fromName || profile.company || 'Makler',
        email: account?.fromEmail ?? 'unbekannt@invalid.example',
        ...(profile.phone ? { phone: profile.phone } : {}),
        ...(profile.company ? { company: profile.company } : {}),
      },
      legalForm: input.legalForm,
      // Markdown: the landing page shows the statutory headings as headings
      cancellationPolicy: { version: label, text: filled.text },
      ...(commission ? { commissionNotice: commission } : {}),
      // always stated: a property without a certificate says so on the page and in the mail
      energy: prop.energy ?? { status: 'pending' as const },
      buyerCommission: cache.landing.property(prop.id).buyerCommission,
      ...documentsForOffer(),
      propertyKey: prop.id,
    };
    const parsed = OfferProperty.safeParse(candidate);
    if (!parsed.success) {
      blockers.push({
        code: 'offer_invalid',
        message: msg('offerInvalid', {
          issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        }),
      });
    }
    return ok({
      property: parsed.success ? parsed.data : (candidate as OfferProperty),
      files,
      policy: filled.text,
      policyLabel: label,
      legalVersion: legal.value.version,
      subject: input.subject?.trim() || defaultSubject(prop, input.prospectLanguage),
      blockers,
    });
  }

  function preview(input: SendInput): Result<OfferPreviewDto> {
    const c = compose(input);
    if (!c.ok) return c;
    const first = input.recipients[0];
    const mail = renderOfferMail({
      property: c.value.property,
      intro: input.intro,
      // named as the mail will name them: typed, else as the contacts know them
      recipientName: first ? first.name?.trim() || cache.contacts.nameOf(first.email) : null,
      landingUrl: prospectTexts(input.prospectLanguage).offer.previewLink,
      policy: c.value.policy,
      policyLabel: c.value.policyLabel,
      attachmentName: WIDERRUF_PDF_NAME,
      lang: input.prospectLanguage,
    });
    return ok({
      subject: c.value.subject,
      html: mail.html,
      text: mail.text,
      policyLabel: c.value.policyLabel,
      attachmentName: WIDERRUF_PDF_NAME,
      blockers: c.value.blockers,
    });
  }

  async function send(input: SendInput): Promise<Result<{ activityId: string; createdAt: string }>> {
    const c = compose(input);
    if (!c.ok) return c;
    const blocker = c.value.blockers[0];
    if (blocker)
      return err({
        code: blocker.code,
        message: blocker.message,
        detail: c.value.blockers.map((b) => b.code).join(','),
      });
    const account = cache.meta.get<StoredMailAccount>(KEYS.mailAccount) as StoredMailAccount;
    const id = randomUUID();
    const createdAt = new Date().toISOString();
    const domain = account.fromEmail.split('@')[1] ?? 'blitz.local';
    const seen = new Set<string>();
    const recipients = input.recipients.flatMap((r) => {
      const k = r.email.toLowerCase();
      if (seen.has(k)) return [];
      seen.add(k);
      return [
        { kind: 'to' as const, email: r.email, name: r.name?.trim() || cache.contacts.nameOf(r.email) },
      ];
    });
    const pdf = await renderWiderrufPdf({
      text: c.value.policy,
      versionLabel: `Fassung ${c.value.policyLabel}`,
      sender: [c.value.property.agent.company ?? c.value.property.agent.name, agentProfile(cache).address]
        .filter((s) => s)
        .join(' · '),
      subject: `${c.value.property.title} – ${c.value.property.address}`,
      createdAt: new Date(createdAt),
    });
    // the Sent copy: everything but a landing link (each prospect has their own)
    const sentCopy = renderOfferMail({
      property: c.value.property,
      intro: input.intro,
      recipientName: recipients.length === 1 ? (recipients[0]?.name ?? null) : null,
      landingUrl: null,
      policy: c.value.policy,
      policyLabel: c.value.policyLabel,
      attachmentName: WIDERRUF_PDF_NAME,
      lang: input.prospectLanguage,
    });
    // the offer's own copy of its files: editing or deleting the property later changes nothing sent
    const refs: OfferFileRef[] = c.value.files.map(({ bytes, ...ref }) => {
      offerBlobs.put(id, bytes);
      return ref;
    });
    cache.tx(() => {
      cache.activities.insert({
        id,
        kind: 'offer',
        subject: c.value.subject,
        html: sentCopy.html,
        text: sentCopy.text,
        trackRequested: true,
        tracked: true,
        sentIndividually: true,
        messageId: `<${id}@${domain}>`,
        createdAt,
        sentAt: null,
        fromOtherDevice: false,
        recipients,
        prospectLanguage: input.prospectLanguage,
        attachments: [{ filename: WIDERRUF_PDF_NAME, contentType: 'application/pdf', content: pdf }],
      });
      cache.offers.insert({
        activityId: id,
        propertyId: input.propertyId,
        property: c.value.property,
        files: refs,
        intro: input.intro,
        policy: c.value.policy,
        legalVersion: c.value.legalVersion,
      });
      cache.outbox.create(id, createdAt);
      cache.contacts.remember(recipients, createdAt, input.prospectLanguage);
    });
    return ok({ activityId: id, createdAt });
  }

  const offerNotFound = (activityId: string): AppError => ({
    code: 'not_found',
    message: msg('offerNotFound'),
    detail: activityId,
  });

  function state(activityId: string): Result<OfferStateDto> {
    const offer = cache.offers.get(activityId);
    if (!offer) return err(offerNotFound(activityId));
    return ok({
      activityId,
      offerId: offer.published?.offerId ?? null,
      status: offer.published?.status ?? null,
      publishedAt: offer.publishedAt,
    });
  }

  /** the published offer and a client, or why the collector cannot be asked about it */
  function onCollector(activityId: string): Result<{ offerId: string; client: CollectorClient }> {
    const s = state(activityId);
    if (!s.ok) return s;
    if (!s.value.offerId)
      return err({
        code: 'offer_not_published',
        message: msg('offerNotPublished'),
        detail: activityId,
      });
    const client = deps.collector();
    if (!client)
      return err({
        code: 'collector_not_configured',
        message: msg('collectorNotConfigured'),
      });
    return ok({ offerId: s.value.offerId, client });
  }

  /**
   * The state with the status as the collector has it now (an agent's other device, or a
   * colleague with admin rights, may have withdrawn the offer). Offline, or before publishing,
   * the state last known here: the panel must open without a network.
   */
  async function currentState(activityId: string): Promise<Result<OfferStateDto>> {
    const target = onCollector(activityId);
    if (target.ok) {
      const res = await target.value.client.offerStatus(target.value.offerId);
      if (res.ok) cache.offers.setStatus(activityId, res.value.status);
    }
    return state(activityId);
  }

  async function setStatus(activityId: string, status: OfferStatus): Promise<Result<OfferStateDto>> {
    const target = onCollector(activityId);
    if (!target.ok) return target;
    const res = await target.value.client.setOfferStatus(target.value.offerId, status);
    if (!res.ok) return err(manualActionError(res.error, 'status'));
    // the collector's answer is the truth (it may have been changed elsewhere in between)
    cache.offers.setStatus(activityId, res.value.status);
    return state(activityId);
  }

  /**
   * The legal evidence from the collector, kept in the cache each time it answers. When it cannot
   * be asked (offline, overloaded), the copy kept last, with why: the Nachweise must open
   * wherever the agent needs them. Without a kept copy the error as before.
   */
  async function evidence(activityId: string): Promise<Result<OfferEvidenceListDto>> {
    const target = onCollector(activityId);
    if (!target.ok) return target;
    const res = await target.value.client.offerEvidence(target.value.offerId);
    if (res.ok) {
      const at = new Date().toISOString();
      cache.offers.saveEvidence(activityId, res.value.evidence, at);
      return ok(evidenceList(activityId, target.value.offerId, res.value.evidence, at, null));
    }
    const kept = cache.offers.evidence(activityId);
    if (!kept) return err(manualActionError(res.error, 'evidence'));
    const why = manualActionError(res.error, 'evidenceKept');
    return ok(
      evidenceList(activityId, target.value.offerId, kept.evidence, kept.fetchedAt, {
        code: why.code,
        message: why.message,
      }),
    );
  }

  function evidenceList(
    activityId: string,
    offerId: string,
    evidence: readonly OfferEvidence[],
    fetchedAt: string,
    offline: OfferEvidenceListDto['offline'],
  ): OfferEvidenceListDto {
    const names = new Map(
      (cache.activities.get(activityId)?.recipients ?? []).map((r) => [r.email.toLowerCase(), r.name]),
    );
    return {
      activityId,
      offerId,
      evidence: evidence.map((e) => ({
        ...e,
        recipientName: e.recipientEmail ? (names.get(e.recipientEmail.toLowerCase()) ?? null) : null,
        // shown as proof: a wording that does not hash to its stored SHA-256 must not look fine
        wordingVerified: sha256Hex(e.wording) === e.wordingSha256.toLowerCase(),
      })),
      fetchedAt,
      offline,
    };
  }

  return {
    preview,
    currentState,
    send,
    state,
    setStatus,
    evidence,
    isOffer: (activityId: string) => cache.offers.get(activityId) !== null,
    isPublished: (activityId: string) => cache.offers.get(activityId)?.published != null,
    /** publishes the offer for the activity's collector message; idempotent on the collector */
    async publish(activityId: string): Promise<Result<PublishOfferResponse, CollectorError>> {
      const offer = cache.offers.get(activityId);
      const client = deps.collector();
      const messageId = cache.offers.collectorMessageId(activityId);
      if (!offer || !messageId)
        return err({
          code: 'offer_not_registered',
          message: msg('offerNotRegistered'),
          transient: false,
        });
      if (!client)
        return err({
          code: 'collector_not_configured',
          message: msg('collectorNotConfigured'),
          transient: false,
        });
      const files = [];
      for (const f of offer.files) {
        const bytes = offerBlobs.read(activityId, f.sha256);
        if (!bytes)
          return err({
            code: 'file_missing',
            message: msg('offerFileMissing', { name: f.name }),
            transient: false,
          });
        files.push({
          role: f.role,
          name: f.name,
          contentType: f.contentType,
          data: bytes.toString('base64'),
        });
      }
      const act = cache.activities.get(activityId);
      // the kind as the contact is stored now: a prospect marked commercial before the send
      const contactKinds = (act?.recipients ?? []).map((r) => ({
        email: r.email,
        kind: cache.landing.kindOf(r.email),
      }));
      return client.publishOffer({ messageId, property: offer.property, files, contactKinds });
    },
    markPublished(activityId: string, res: PublishOfferResponse): void {
      cache.offers.markPublished(activityId, res, new Date().toISOString());
    },
    /** one prospect's e-mail with their own landing page; null when it is not known (yet) */
    bodyFor(activityId: string, email: string): { html: string; text: string } | null {
      const offer = cache.offers.get(activityId);
      const act = cache.activities.get(activityId);
      const landing = offer?.published?.landing.find(
        (l) => l.recipientEmail.toLowerCase() === email.toLowerCase(),
      );
      if (!offer || !act || !landing) return null;
      const r = act.recipients.find((x) => x.email.toLowerCase() === email.toLowerCase());
      return renderOfferMail({
        property: offer.property,
        intro: offer.intro,
        recipientName: r?.name ?? null,
        landingUrl: landing.url,
        policy: offer.policy,
        policyLabel: offer.property.cancellationPolicy.version,
        attachmentName: WIDERRUF_PDF_NAME,
        lang: act.prospectLanguage,
      });
    },
  };
}
export type OfferService = ReturnType<typeof createOfferService>;
export type { AppError };
