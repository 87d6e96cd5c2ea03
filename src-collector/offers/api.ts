import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  OFFER_IMAGE_BYTES_MAX,
  OFFER_PDF_BYTES_MAX,
  OFFER_TOTAL_BYTES_MAX,
  type OfferEvidenceResponse,
  type OfferStatusResponse,
  type PublishOfferRequest,
  type PublishOfferResponse,
} from '../../src-shared/api';
import { landingUrl } from '../../src-shared/tracking-urls';
import type { CollectorContext } from '../context';
import { authenticate } from '../http/auth';
import { describeZodError, sendError } from '../http/errors';
import type { OfferFile, OfferRecord } from '../store/offers/types';
import type { UserRecord } from '../store/types';
import { offerApiSpec } from './api-spec';
import { sniffFileType } from '../../src-shared/file-types';
import type { OfferServices } from './services';

/** base64 of the decoded maximum plus room for the property JSON */
export const PUBLISH_BODY_LIMIT = Math.ceil((OFFER_TOTAL_BYTES_MAX * 4) / 3) + 1024 * 1024;

const visibleTo = (user: UserRecord, owner: { accountId: string; userId: string }): boolean =>
  owner.accountId === user.accountId && (user.role === 'admin' || owner.userId === user.id);

function answer(offer: OfferRecord, publicUrl: string): PublishOfferResponse {
  return {
    offerId: offer.id,
    status: offer.status,
    landing: offer.recipients
      .filter((r): r is typeof r & { recipientEmail: string } => r.recipientEmail !== null)
      .map((r) => ({ recipientEmail: r.recipientEmail, url: landingUrl(publicUrl, r.token) })),
  };
}

type Decoded =
  | { ok: true; files: (OfferFile & { bytes: Buffer })[] }
  | { ok: false; status: number; code: string; message: string };

/** Decodes the base64 files and checks sizes and that the bytes are what they claim to be. */
export function decodeFiles(files: PublishOfferRequest['files']): Decoded {
  let total = 0;
  const out: (OfferFile & { bytes: Buffer })[] = [];
  for (const [i, f] of files.entries()) {
    const bytes = Buffer.from(f.data, 'base64');
    const max = f.role === 'image' ? OFFER_IMAGE_BYTES_MAX : OFFER_PDF_BYTES_MAX;
    total += bytes.length;
    if (bytes.length === 0)
      return { ok: false, status: 400, code: 'invalid_request', message: `files.${i}: empty file` };
    if (bytes.length > max || total > OFFER_TOTAL_BYTES_MAX) {
      return {
        ok: false,
        status: 413,
        code: 'file_too_large',
        message: `files.${i}: ${f.name} exceeds the size limit`,
      };
    }
    const sniffed = sniffFileType(bytes);
    if (sniffed !== f.contentType) {
      return {
        ok: false,
        status: 415,
        code: 'file_type_mismatch',
        message: `files.${i}: ${f.name} is declared ${f.contentType} but its content is ${sniffed ?? 'not an accepted type'}`,
      };
    }
    out.push({
      id: randomBytes(9).toString('base64url'),
      role: f.role,
      name: f.name,
      contentType: f.contentType,
      sha256: '',
      size: bytes.length,
      bytes,
    });
  }
  return { ok: true, files: out };
}

/** POST /api/v1/offers, PUT /api/v1/offers/{id}/status, GET /api/v1/offers/{id}/evidence */
export function registerOfferApi(app: FastifyInstance, ctx: CollectorContext, svc: OfferServices): void {
  async function visibleOffer(
    req: FastifyRequest,
    reply: FastifyReply,
    user: UserRecord,
  ): Promise<OfferRecord | null> {
    const p = offerApiSpec.offerStatus.params.safeParse(req.params);
    const offer = p.success ? await svc.offers.getOffer(p.data.id) : null;
    if (!offer || !visibleTo(user, offer)) {
      sendError(reply, 404, 'not_found', 'no such offer');
      return null;
    }
    return offer;
  }

  app.post(offerApiSpec.publishOffer.path, { bodyLimit: PUBLISH_BODY_LIMIT }, async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const parsed = offerApiSpec.publishOffer.body.safeParse(req.body);
    if (!parsed.success)
      return sendError(reply, 400, 'invalid_request', describeZodError(parsed.error, req.body));
    const body = parsed.data;
    const message = await ctx.store.messageForPublish(body.messageId);
    if (!message || !visibleTo(user, message)) return sendError(reply, 404, 'not_found', 'no such message');
    if (!message.sentIndividually) {
      return sendError(
        reply,
        422,
        'message_not_individual',
        'Angebote brauchen einzeln versandte Nachrichten (an offer needs a message sent individually, one tracker per recipient)',
      );
    }
    // issue 20: the account's own tracking domain when it has one
    const publicUrl = ctx.trackingBase(message.accountId);
    const existing = await svc.offers.offerIdsForMessages([message.id]);
    const existingId = existing.get(message.id);
    if (existingId) {
      const offer = await svc.offers.getOffer(existingId);
      if (offer) return reply.header('cache-control', 'no-store').send(answer(offer, publicUrl));
    }
    const decoded = decodeFiles(body.files);
    if (!decoded.ok) return sendError(reply, decoded.status, decoded.code, decoded.message);
    const files: OfferFile[] = [];
    for (const { bytes, ...f } of decoded.files) files.push({ ...f, sha256: await svc.files.put(bytes) });
    const { created, offer } = await svc.offers.createOffer({
      id: randomUUID(),
      accountId: message.accountId,
      userId: message.userId,
      messageId: message.id,
      property: body.property,
      files,
      recipients: message.trackers.map((t) => ({
        ...t,
        contactKind:
          body.contactKinds?.find((k) => k.email.toLowerCase() === t.recipientEmail?.toLowerCase())?.kind ??
          'consumer',
      })),
      createdAt: new Date().toISOString(),
    });
    if (created)
      ctx.log.info({ offerId: offer.id, messageId: message.id, files: files.length }, 'offer published');
    return reply.header('cache-control', 'no-store').send(answer(offer, publicUrl));
  });

  app.get(offerApiSpec.offerStatusRead.path.replace('{id}', ':id'), async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const offer = await visibleOffer(req, reply, user);
    if (!offer) return reply;
    const res: OfferStatusResponse = { offerId: offer.id, status: offer.status };
    return reply.header('cache-control', 'no-store').send(res);
  });

  app.put(offerApiSpec.offerStatus.path.replace('{id}', ':id'), async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const offer = await visibleOffer(req, reply, user);
    if (!offer) return reply;
    const parsed = offerApiSpec.offerStatus.body.safeParse(req.body);
    if (!parsed.success)
      return sendError(reply, 400, 'invalid_request', describeZodError(parsed.error, req.body));
    const updated = await svc.offers.setStatus(offer.id, parsed.data.status, new Date().toISOString());
    if (!updated) return sendError(reply, 404, 'not_found', 'no such offer');
    svc.statusChanged(offer.id);
    const res: OfferStatusResponse = { offerId: updated.id, status: updated.status };
    return reply.header('cache-control', 'no-store').send(res);
  });

  app.get(offerApiSpec.offerEvidence.path.replace('{id}', ':id'), async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const offer = await visibleOffer(req, reply, user);
    if (!offer) return reply;
    const rows = await svc.offers.listEvidence(offer.id);
    const res: OfferEvidenceResponse = {
      offerId: offer.id,
      evidence: rows.map((r) => ({
        id: r.id,
        offerId: r.offerId,
        recipientEmail: r.recipientEmail,
        confirmation: r.confirmation,
        wording: r.wording,
        wordingSha256: r.wordingSha256,
        policyVersion: r.policyVersion,
        confirmedAt: r.confirmedAt,
        ip: r.ip,
        userAgent: r.userAgent,
        repeatCount: r.repeatCount,
        lastSeenAt: r.lastSeenAt,
      })),
    };
    return reply.header('cache-control', 'no-store').send(res);
  });
}
