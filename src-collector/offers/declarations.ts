import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Declaration, DeclarationClaimResponse, LandingLockSettings } from '../../src-shared/api';
import type { CollectorContext } from '../context';
import { authenticate } from '../http/auth';
import { describeZodError, sendError } from '../http/errors';
import type { DeclarationRecord, OfferRecord } from '../store/offers/types';
import type { UserRecord } from '../store/types';
import { offerApiSpec } from './api-spec';
import type { OfferServices } from './services';

/** how long a desktop holds a confirmation mail before another may take it over */
export const CLAIM_MS = 15 * 60_000;

const fastifyPath = (p: string) => p.replace(/\{(\w+)\}/g, ':$1');

function toDeclaration(d: DeclarationRecord, offer: OfferRecord): Declaration {
  const r = offer.recipients.find((x) => x.token === d.token);
  const p = offer.property;
  return {
    id: d.id,
    offerId: d.offerId,
    messageId: offer.messageId,
    recipientEmail: d.recipientEmail,
    recipientName: r?.recipientName ?? null,
    contactKind: r?.contactKind ?? 'consumer',
    declaredAt: d.declaredAt,
    items: d.items,
    mailState: d.mailState,
    mailSentAt: d.mailSentAt,
    property: {
      title: p.title,
      address: p.address,
      agent: p.agent,
      cancellationPolicy: p.cancellationPolicy,
    },
  };
}

/**
 * The confirmation mail's work items (declarations) and the landing-page locks. The mail goes
 * out from the agent's own desktop over the agent's SMTP: this API only makes sure exactly one
 * desktop sends it (claim with a lease, renewed right before the SMTP transaction) and records
 * that it was sent, which is an event in the offer's feed.
 */
export function registerDeclarationsAndLocks(
  app: FastifyInstance,
  ctx: CollectorContext,
  svc: OfferServices,
): void {
  /** a declaration of one of the caller's own offers (only its owner's desktop sends the mail) */
  async function ownDeclaration(req: FastifyRequest, reply: FastifyReply, user: UserRecord) {
    const p = offerApiSpec.claimDeclaration.params.safeParse(req.params);
    const d = p.success ? await svc.offers.getDeclaration(p.data.id) : null;
    const offer = d ? await svc.offers.getOffer(d.offerId) : null;
    if (!d || !offer || offer.accountId !== user.accountId || offer.userId !== user.id) {
      sendError(reply, 404, 'not_found', 'no such declaration');
      return null;
    }
    return { d, offer };
  }

  app.get(offerApiSpec.openDeclarations.path, async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const open = await svc.offers.openDeclarations(user.id, 100);
    const out: Declaration[] = [];
    const offers = new Map<string, OfferRecord | null>();
    for (const d of open) {
      if (!offers.has(d.offerId)) offers.set(d.offerId, await svc.offers.getOffer(d.offerId));
      const offer = offers.get(d.offerId);
      if (offer && offer.accountId === user.accountId) out.push(toDeclaration(d, offer));
    }
    return reply.header('cache-control', 'no-store').send({ declarations: out });
  });

  app.post(fastifyPath(offerApiSpec.claimDeclaration.path), async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const own = await ownDeclaration(req, reply, user);
    if (!own) return reply;
    const body = offerApiSpec.claimDeclaration.body.safeParse(req.body);
    if (!body.success)
      return sendError(reply, 400, 'invalid_request', describeZodError(body.error, req.body));
    const now = new Date();
    const until = new Date(now.getTime() + CLAIM_MS).toISOString();
    const c = await svc.offers.claimDeclaration(own.d.id, body.data.device, now.toISOString(), until);
    if (c.outcome !== 'claimed') {
      if (c.outcome === 'missing') return sendError(reply, 404, 'not_found', 'no such declaration');
      if (c.outcome === 'sent')
        return sendError(reply, 409, 'already_sent', 'the confirmation mail was sent already');
      return sendError(reply, 409, 'claimed_elsewhere', 'another desktop is sending this confirmation mail');
    }
    const res: DeclarationClaimResponse = {
      declaration: toDeclaration(c.declaration, own.offer),
      claimedUntil: until,
    };
    return reply.header('cache-control', 'no-store').send(res);
  });

  app.post(fastifyPath(offerApiSpec.declarationSent.path), async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const own = await ownDeclaration(req, reply, user);
    if (!own) return reply;
    const body = offerApiSpec.declarationSent.body.safeParse(req.body);
    if (!body.success)
      return sendError(reply, 400, 'invalid_request', describeZodError(body.error, req.body));
    const at = new Date();
    const r = await svc.offers.markDeclarationSent(
      own.d.id,
      body.data.device,
      at.toISOString(),
      body.data.mailMessageId,
    );
    if (r.outcome === 'missing') return sendError(reply, 404, 'not_found', 'no such declaration');
    if (r.outcome === 'elsewhere')
      return sendError(reply, 409, 'claimed_elsewhere', 'another desktop holds this confirmation mail');
    if (r.changed) await recordSent(own.d, at);
    const fresh = (await svc.offers.getDeclaration(own.d.id)) ?? own.d;
    return reply.header('cache-control', 'no-store').send({ declaration: toDeclaration(fresh, own.offer) });
  });

  /**
   * The sent confirmation as an event of the offer's message, recorded once (on the first
   * report). Its signals are the declaring browser's (kept with the declaration as evidence), so
   * the classifier judges it as the prospect's own step, not as the agent's desktop.
   */
  async function recordSent(d: DeclarationRecord, at: Date): Promise<void> {
    try {
      const resolved = await ctx.lookup.resolve(d.token);
      if (!resolved || !(await ctx.lookup.trackingEnabled(resolved.accountId))) return;
      const stored = await ctx.writer.submit({
        resolved,
        offerId: d.offerId,
        type: 'landing.confirmation_sent',
        detail: {},
        signals: {
          kind: 'landing',
          action: 'confirmation_sent',
          method: 'POST',
          at,
          ip: d.ip,
          userAgent: d.userAgent,
          headers: {},
        },
      });
      if (!stored) ctx.log.error({ declarationId: d.id }, 'confirmation-sent event not stored');
    } catch (e) {
      ctx.log.error({ err: e, declarationId: d.id }, 'confirmation-sent event not recorded');
    }
  }

  app.get(offerApiSpec.landingLockSettings.path, async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    return reply.header('cache-control', 'no-store').send(await svc.offers.lockSettings(user.accountId));
  });

  app.put(offerApiSpec.landingLockSettingsUpdate.path, async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    if (user.role !== 'admin') return sendError(reply, 403, 'forbidden', 'admins only');
    const body = offerApiSpec.landingLockSettingsUpdate.body.safeParse(req.body);
    if (!body.success)
      return sendError(reply, 400, 'invalid_request', describeZodError(body.error, req.body));
    const settings: LandingLockSettings = { statuses: [...new Set(body.data.statuses)] };
    await svc.offers.setLockSettings(user.accountId, settings);
    svc.statusChanged('*');
    return reply.header('cache-control', 'no-store').send(settings);
  });

  app.put(fastifyPath(offerApiSpec.propertyLock.path), async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const params = offerApiSpec.propertyLock.params.safeParse(req.params);
    const body = offerApiSpec.propertyLock.body.safeParse(req.body);
    if (!params.success)
      return sendError(reply, 400, 'invalid_request', describeZodError(params.error, req.params));
    if (!body.success)
      return sendError(reply, 400, 'invalid_request', describeZodError(body.error, req.body));
    await svc.offers.setPropertyLock(
      user.accountId,
      params.data.key,
      body.data.status,
      body.data.lockAll,
      new Date().toISOString(),
    );
    svc.statusChanged('*');
    return reply.header('cache-control', 'no-store').send({ ok: true });
  });

  app.put(offerApiSpec.contactLock.path, async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const body = offerApiSpec.contactLock.body.safeParse(req.body);
    if (!body.success)
      return sendError(reply, 400, 'invalid_request', describeZodError(body.error, req.body));
    await svc.offers.setContactLock(
      user.accountId,
      body.data.email,
      body.data.archived,
      new Date().toISOString(),
    );
    svc.statusChanged('*');
    return reply.header('cache-control', 'no-store').send({ ok: true });
  });

  app.put(offerApiSpec.dealLock.path, async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const body = offerApiSpec.dealLock.body.safeParse(req.body);
    if (!body.success)
      return sendError(reply, 400, 'invalid_request', describeZodError(body.error, req.body));
    await svc.offers.setDealLock(
      user.accountId,
      body.data.propertyKey,
      body.data.email,
      body.data.rejected,
      new Date().toISOString(),
    );
    svc.statusChanged('*');
    return reply.header('cache-control', 'no-store').send({ ok: true });
  });
}
