import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EventDetail, EventType } from '../../src-shared/events';
import { redirectLocation } from '../../src-shared/link-policy';
import { TOKEN_PATTERN } from '../../src-shared/tracking-urls';
import type { CollectorContext } from '../context';
import { signalsFromRequest } from '../hits/signals';
import type { LockReason, OfferFile, OfferRecipient, OfferRecord } from '../store/offers/types';
import type { ResolvedToken } from '../store/types';
import { normaliseIp } from '../util/ip';
import { Lru } from '../util/lru';
import { ASSETS } from './assets';
import { csrfToken, csrfValid, sameOrigin } from './csrf';
import { confirmationsFor } from './legal';
import {
  gonePage,
  isConfirmed,
  landingPage,
  legalComplete,
  legalDocumentPage,
  lockedPage,
  messagePage,
  policyPage,
} from './render';
import type { OfferServices } from './services';

const CSP =
  "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const FORM_BODY_LIMIT = 16 * 1024;

interface Landing {
  token: string;
  offer: OfferRecord;
  recipient: OfferRecipient;
  resolved: ResolvedToken;
  base: string;
  ip: string;
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('x-robots-tag', 'noindex, nofollow');
}

function page(reply: FastifyReply, status: number, body: string): FastifyReply {
  return secure(reply)
    .code(status)
    .header('cache-control', 'no-store')
    .header('content-type', 'text/html; charset=utf-8')
    .send(body);
}

const notFound = (reply: FastifyReply): FastifyReply =>
  page(
    reply,
    404,
    messagePage(
      'Seite nicht gefunden',
      'Dieser Link ist ungültig oder nicht mehr verfügbar. Bitte prüfen Sie die Adresse oder wenden Sie sich an den Absender der E-Mail.',
    ),
  );

const LikeForm = z
  .object({ csrf: z.string(), unit: z.string().max(64), liked: z.enum(['true', 'false']) })
  .strict();
const ConfirmForm = z
  .object({ csrf: z.string() })
  .catchall(z.string().max(10))
  .refine((o) => Object.keys(o).length <= 10);

/**
 * The prospect's landing page and its actions under /l/{token}. Every action is a hit through
 * the same writer as pixel and click (classifier, group commit, seq) and is answered after its
 * commit; GET never changes state; files are served by their per-offer id only.
 */
export function registerLanding(app: FastifyInstance, ctx: CollectorContext, svc: OfferServices): void {
  const cache = new Lru<string, { offer: OfferRecord; recipient: OfferRecipient } | null>(20_000, 5_000);
  const locks = new Lru<string, LockReason | null>(20_000, 5_000);
  svc.onStatusChanged((offerId) => {
    // another status must show at once on this instance; others see it within the TTL
    void offerId;
    cache.clear();
    locks.clear();
  });

  async function load(req: FastifyRequest, reply: FastifyReply, token: string): Promise<Landing | null> {
    if (!TOKEN_PATTERN.test(token)) {
      notFound(reply);
      return null;
    }
    let found = cache.get(token);
    if (found === undefined) {
      found = await svc.offers.offerForToken(token);
      cache.set(token, found);
    }
    const resolved = found ? await ctx.lookup.resolve(token) : null;
    if (!found || !resolved) {
      notFound(reply);
      return null;
    }
    // issue 20: another account's offer on a tracking domain does not exist there
    if (ctx.hosts.foreign(req.headers, req.socket.remoteAddress, resolved.accountId, 'landing') !== null) {
      notFound(reply);
      return null;
    }
    if (found.offer.status !== 'active') {
      page(reply, 410, gonePage(found.offer));
      return null;
    }
    let lock = locks.get(token);
    if (lock === undefined) {
      lock = await svc.offers.lockFor(
        found.offer.accountId,
        found.offer.property.propertyKey ?? null,
        found.recipient.recipientEmail,
      );
      locks.set(token, lock);
    }
    if (lock) {
      page(reply, 403, lockedPage(found.offer));
      return null;
    }
    return { token, ...found, resolved, base: `/l/${token}`, ip: normaliseIp(req.ip) };
  }

  /**
   * Records actions of one request, submitted to the writer in the given order (so they take
   * ascending seqs in one group commit); false when nothing was stored (switch off, rate limit,
   * failure).
   */
  async function record(
    req: FastifyRequest,
    l: Landing,
    actions: readonly { type: EventType; detail: EventDetail }[],
    at = new Date(),
  ): Promise<boolean> {
    if (!ctx.limits.publicAllowed(l.ip, l.token)) return false;
    try {
      if (!(await ctx.lookup.trackingEnabled(l.resolved.accountId))) return false;
      // issue 17: analytics only with the landing switch and the contact's consent; evidence always
      const allowed: { type: EventType; detail: EventDetail }[] = [];
      for (const a of actions) if (await ctx.consent.allows(l.resolved, a.type)) allowed.push(a);
      if (allowed.length === 0) return false;
      const results = await Promise.all(
        allowed.map(({ type, detail }) => {
          const signals = signalsFromRequest('landing', req.method, l.ip, req.headers, {
            action: type.slice('landing.'.length),
          });
          signals.at = at;
          return ctx.writer.submit({ resolved: l.resolved, offerId: l.offer.id, type, detail, signals });
        }),
      );
      const ok = results.every(Boolean);
      if (!ok) req.log.error({ types: actions.map((a) => a.type) }, 'landing hit not stored');
      return ok;
    } catch (e) {
      req.log.error({ err: e }, 'landing hit not recorded');
      return false;
    }
  }

  async function legalState(l: Landing) {
    const confirmations = confirmationsFor(l.offer.property, l.recipient.contactKind);
    if (!l.offer.property.legalForm) return { confirmations, confirmed: new Map(), mail: undefined };
    const [confirmed, declarations] = await Promise.all([
      svc.offers.confirmedFor(l.offer.id, l.token),
      svc.offers.declarationsFor(l.token),
    ]);
    const latest = declarations[0];
    return { confirmations, confirmed, mail: latest ? { sentAt: latest.mailSentAt } : undefined };
  }

  async function sendFile(
    reply: FastifyReply,
    f: OfferFile,
    disposition: 'attachment' | 'inline',
  ): Promise<FastifyReply> {
    const blob = await svc.files.open(f.sha256);
    if (!blob) return notFound(reply);
    return secure(reply)
      .code(200)
      .header('content-type', f.contentType)
      .header('content-length', String(blob.size))
      .header('content-disposition', contentDisposition(disposition, f.name))
      .header('cache-control', disposition === 'inline' ? 'private, max-age=3600' : 'no-store')
      .send(blob.stream);
  }

  async function download(req: FastifyRequest, reply: FastifyReply, l: Landing, f: OfferFile | undefined) {
    if (!f) return notFound(reply);
    const state = await legalState(l);
    if (!legalComplete({ offer: l.offer, ...state })) {
      return page(
        reply,
        403,
        messagePage(
          'Bitte zuerst bestätigen',
          'Bevor Sie die Unterlagen herunterladen können, bestätigen Sie bitte die Hinweise auf der Angebotsseite.',
          `${l.base}#rechtliches`,
        ),
      );
    }
    const type: EventType = f.role === 'expose' ? 'landing.expose_downloaded' : 'landing.document_downloaded';
    await record(req, l, [{ type, detail: { document: f.name, sha256: f.sha256 } }]);
    return sendFile(reply, f, 'attachment');
  }

  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
      (_req, body, done) => {
        const out: Record<string, string> = {};
        for (const [k, v] of new URLSearchParams(body as string)) out[k] = v;
        done(null, out);
      },
    );

    scope.get<{ Params: { name: string } }>('/l/assets/:name', async (req, reply) => {
      const a = ASSETS.get(req.params.name);
      if (!a) return notFound(reply);
      return secure(reply)
        .header('content-type', a.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(a.body);
    });

    scope.get<{ Params: { token: string } }>('/l/:token', async (req, reply) => {
      const l = await load(req, reply, req.params.token);
      if (!l) return reply;
      // a navigation from our own pages (back from the policy, after a form POST) is no new visit
      if (req.headers['sec-fetch-site'] !== 'same-origin')
        await record(req, l, [{ type: 'landing.visited', detail: {} }]);
      const [liked, state] = await Promise.all([svc.offers.likedUnits(l.offer.id, l.token), legalState(l)]);
      const q = req.query as Record<string, unknown>;
      return page(
        reply,
        200,
        landingPage({
          offer: l.offer,
          recipient: l.recipient,
          base: l.base,
          csrf: csrfToken(svc.secret, l.token),
          liked,
          ...state,
          legalError: q.fehler === 'bestaetigung',
        }),
      );
    });

    scope.get<{ Params: { token: string; id: string } }>('/l/:token/img/:id', async (req, reply) => {
      const l = await load(req, reply, req.params.token);
      if (!l) return reply;
      const f = l.offer.files.find((x) => x.role === 'image' && x.id === req.params.id);
      return f ? sendFile(reply, f, 'inline') : notFound(reply);
    });

    scope.get<{ Params: { token: string; id: string } }>('/l/:token/doc/:id', async (req, reply) => {
      const l = await load(req, reply, req.params.token);
      if (!l) return reply;
      return download(
        req,
        reply,
        l,
        l.offer.files.find((x) => x.role === 'document' && x.id === req.params.id),
      );
    });

    scope.get<{ Params: { token: string } }>('/l/:token/expose', async (req, reply) => {
      const l = await load(req, reply, req.params.token);
      if (!l) return reply;
      return download(
        req,
        reply,
        l,
        l.offer.files.find((x) => x.role === 'expose'),
      );
    });

    scope.get<{ Params: { token: string; n: string } }>('/l/:token/link/:n', async (req, reply) => {
      const l = await load(req, reply, req.params.token);
      if (!l) return reply;
      const n = /^\d{1,3}$/.test(req.params.n) ? Number(req.params.n) : -1;
      const link = l.offer.property.links[n];
      if (!link) return notFound(reply);
      await record(req, l, [{ type: 'landing.link_opened', detail: { url: link.url, linkIndex: n } }]);
      // the target is only ever the registered link, never something from the request
      const location = redirectLocation(link.url);
      return secure(reply).code(302).header('location', location).header('cache-control', 'no-store').send();
    });

    scope.get<{ Params: { token: string } }>('/l/:token/widerruf', async (req, reply) => {
      const l = await load(req, reply, req.params.token);
      if (!l) return reply;
      await record(req, l, [{ type: 'landing.cancellation_policy_opened', detail: {} }]);
      return page(reply, 200, policyPage(l.offer, l.base));
    });

    for (const [path, title, pick] of [
      ['agb', 'Allgemeine Geschäftsbedingungen', (o: OfferRecord) => o.property.terms],
      ['datenschutz', 'Datenschutzerklärung', (o: OfferRecord) => o.property.privacy],
    ] as const) {
      scope.get<{ Params: { token: string } }>(`/l/:token/${path}`, async (req, reply) => {
        const l = await load(req, reply, req.params.token);
        if (!l) return reply;
        const doc = pick(l.offer);
        return doc ? page(reply, 200, legalDocumentPage(l.offer, l.base, title, doc)) : notFound(reply);
      });
    }

    for (const action of ['like', 'confirm'] as const) {
      scope.get(`/l/:token/${action}`, async (_req, reply) =>
        page(
          reply.header('allow', 'POST'),
          405,
          messagePage(
            'Nicht möglich',
            'Diese Aktion ist nur über das Formular auf der Angebotsseite möglich.',
          ),
        ),
      );
    }

    /** CSRF token and same-origin; answers and returns null when the POST is refused */
    async function postGuard(req: FastifyRequest, reply: FastifyReply, token: string, csrf: unknown) {
      const l = await load(req, reply, token);
      if (!l) return null;
      if (!csrfValid(svc.secret, l.token, csrf) || !sameOrigin(req, ctx.publicUrl())) {
        page(
          reply,
          403,
          messagePage(
            'Anfrage abgelehnt',
            'Bitte laden Sie die Angebotsseite neu und versuchen Sie es erneut.',
            l.base,
          ),
        );
        return null;
      }
      if (!ctx.limits.publicAllowed(l.ip, l.token)) {
        page(
          reply.header('retry-after', '60'),
          429,
          messagePage('Zu viele Anfragen', 'Bitte versuchen Sie es in einer Minute erneut.', l.base),
        );
        return null;
      }
      return l;
    }

    scope.post<{ Params: { token: string } }>('/l/:token/like', async (req, reply) => {
      const form = LikeForm.safeParse(req.body);
      const l = await postGuard(req, reply, req.params.token, form.success ? form.data.csrf : undefined);
      if (!l) return reply;
      if (!form.success)
        return page(reply, 400, messagePage('Ungültige Anfrage', 'Die Anfrage war unvollständig.', l.base));
      const unit = (l.offer.property.units ?? []).find((u) => u.id === form.data.unit);
      if (!unit || unit.status === 'sold') return notFound(reply);
      const liked = form.data.liked === 'true';
      if (await ctx.lookup.trackingEnabled(l.resolved.accountId)) {
        await svc.offers.setLike(l.offer.id, l.token, unit.id, liked, new Date().toISOString());
        await record(req, l, [
          { type: liked ? 'landing.unit_liked' : 'landing.unit_unliked', detail: { unit: unit.number } },
        ]);
      }
      if (wantsJson(req)) {
        return secure(reply).header('cache-control', 'no-store').send({ unit: unit.id, liked });
      }
      return secure(reply)
        .code(303)
        .header('location', `${l.base}#einheit-${unit.id}`)
        .header('cache-control', 'no-store')
        .send();
    });

    scope.post<{ Params: { token: string } }>('/l/:token/confirm', async (req, reply) => {
      const form = ConfirmForm.safeParse(req.body);
      const l = await postGuard(req, reply, req.params.token, form.success ? form.data.csrf : undefined);
      if (!l) return reply;
      const fields: Record<string, string> = form.success ? form.data : {};
      const shown = confirmationsFor(l.offer.property, l.recipient.contactKind);
      const view = await legalState(l);
      // required ones already given count (a later visit may only add the Kontakterlaubnis)
      const missing = shown.filter(
        (c) => c.required && fields[`c_${c.id}`] !== 'ja' && !isConfirmed(view, c),
      );
      if (!l.offer.property.legalForm || missing.length > 0) {
        return secure(reply)
          .code(303)
          .header('location', `${l.base}?fehler=bestaetigung#rechtliches`)
          .header('cache-control', 'no-store')
          .send();
      }
      const checked = shown.filter((c) => fields[`c_${c.id}`] === 'ja');
      const at = new Date();
      const ua = req.headers['user-agent'];
      // evidence is the prospect's own declaration, kept even with tracking off: it unlocks the
      // downloads. One row per token, confirmation and wording; a repeat only counts.
      const { newItems } = await svc.offers.recordDeclaration({
        id: randomUUID(),
        offerId: l.offer.id,
        accountId: l.offer.accountId,
        token: l.token,
        recipientEmail: l.recipient.recipientEmail,
        items: checked.map((c) => ({
          confirmation: c.id,
          wording: c.wording,
          wordingSha256: c.wordingSha256,
        })),
        policyVersion: l.offer.property.cancellationPolicy.version,
        at: at.toISOString(),
        ip: l.ip,
        userAgent: typeof ua === 'string' ? ua.slice(0, 1024) : '',
      });
      // one event per new confirmation, in the order shown; repeats are no news
      const fresh = checked.filter((c) => newItems.includes(c.id));
      if (fresh.length > 0) {
        await record(
          req,
          l,
          fresh.map((c) => ({
            type: 'landing.legal_confirmed' as const,
            detail: { confirmation: c.id, wording: c.wording, wordingSha256: c.wordingSha256 },
          })),
          at,
        );
      }
      return secure(reply)
        .code(303)
        .header('location', `${l.base}#unterlagen`)
        .header('cache-control', 'no-store')
        .send();
    });
  });
}

function wantsJson(req: FastifyRequest): boolean {
  const a = req.headers.accept;
  return typeof a === 'string' && a.includes('application/json');
}

/** RFC 6266: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
