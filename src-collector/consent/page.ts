import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ContactConsent } from '../../src-shared/consent';
import { TOKEN_PATTERN } from '../../src-shared/tracking-urls';
import type { CollectorContext } from '../context';
import { signalsFromRequest } from '../hits/signals';
import { csrfToken, csrfValid, sameOrigin } from '../offers/csrf';
import { html } from '../offers/html';
import { layout } from '../offers/render';
import type { ResolvedToken } from '../store/types';
import { normaliseIp } from '../util/ip';
import type { ConsentGate } from './gate';
import { consentWording, withdrawalWording, type Wording } from './wording';

const CSP =
  "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'none'; connect-src 'none'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const FORM_BODY_LIMIT = 4 * 1024;
const Form = z.object({ csrf: z.string().max(100) });

function page(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('x-robots-tag', 'noindex, nofollow')
    .header('cache-control', 'no-store')
    .header('content-type', 'text/html; charset=utf-8')
    .send(body);
}

function messagePage(title: string, text: string): string {
  return layout(
    title,
    html`<main class="narrow" id="inhalt">
      <h1>${title}</h1>
      <p>${text}</p>
    </main>`,
  );
}

const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'long', timeStyle: 'short' });

function consentPage(o: {
  sender: string;
  base: string;
  csrf: string;
  contact: ContactConsent | undefined;
  wording: Wording;
  done?: boolean;
}): string {
  const given = o.contact?.state === 'given';
  return layout(
    'Einwilligung in das E-Mail-Tracking',
    html`<main class="narrow" id="inhalt" data-consent-state="${o.contact?.state ?? 'none'}">
      <h1>Einwilligung in das E-Mail-Tracking</h1>
      ${o.done ? html`<p class="ok" role="status">Vielen Dank. Ihre Einwilligung ist gespeichert.</p>` : ''}
      ${
        given && o.contact?.stateAt
          ? html`<p>Sie haben am ${dateTime(o.contact.stateAt)} eingewilligt.</p>
              <p><a href="${o.base}/widerruf">Einwilligung widerrufen</a></p>`
          : html`<p>
                ${o.sender} möchte gern sehen, ob die E-Mails an Sie ankommen und was Sie interessiert, um
                Ihnen passende Angebote zu machen. Das geschieht nur, wenn Sie hier zustimmen.
              </p>
              <form method="post" action="${o.base}" class="legal">
                <input type="hidden" name="csrf" value="${o.csrf}" />
                <p class="note" data-testid="consent-wording">${o.wording.text}</p>
                <p><button class="btn" type="submit">Ich willige ein</button></p>
              </form>
              <p class="meta">
                Wenn Sie nicht einwilligen möchten, müssen Sie nichts tun: Ihre E-Mails werden dann nicht
                ausgewertet.
              </p>`
      }
      <p class="meta">Fassung ${o.wording.version}</p>
    </main>`,
  );
}

function withdrawPage(o: {
  sender: string;
  base: string;
  csrf: string;
  contact: ContactConsent | undefined;
  wording: Wording;
  done?: boolean;
}): string {
  const withdrawn = o.contact?.state === 'withdrawn';
  return layout(
    'Tracking widerrufen',
    html`<main class="narrow" id="inhalt" data-consent-state="${o.contact?.state ?? 'none'}">
      <h1>Tracking widerrufen</h1>
      ${o.done ? html`<p class="ok" role="status">Ihr Widerruf ist gespeichert.</p>` : ''}
      ${
        withdrawn && o.contact?.stateAt
          ? html`<p>
                Sie haben am ${dateTime(o.contact.stateAt)} widerrufen. ${o.sender} erfasst nicht mehr, ob Sie
                E-Mails öffnen oder Links anklicken.
              </p>
              <p><a href="${o.base}">Erneut einwilligen</a></p>`
          : html`<form method="post" action="${o.base}/widerruf" class="legal">
              <input type="hidden" name="csrf" value="${o.csrf}" />
              <p class="note" data-testid="withdraw-wording">${o.wording.text}</p>
              <p><button class="btn" type="submit">Einwilligung widerrufen</button></p>
            </form>`
      }
    </main>`,
  );
}

/**
 * Issue 17: the prospect-facing consent page `/e/{token}` and its withdrawal page
 * `/e/{token}/widerruf`. The token is the recipient's own tracker (a shared tracker names no
 * person: not found). A consent or withdrawal is stored as evidence (wording, SHA-256, time, full
 * IP, user agent) whatever the switches say, and becomes the event consent.given/withdrawn of
 * the message, which is how the agent's desktops learn of it.
 */
export function registerConsentPages(app: FastifyInstance, ctx: CollectorContext, gate: ConsentGate): void {
  let secret: Promise<Buffer> | null = null;
  const csrfSecret = () => (secret ??= ctx.store.secret('consent-csrf'));

  async function load(req: FastifyRequest, reply: FastifyReply, token: string) {
    const notFound = () => {
      page(
        reply,
        404,
        messagePage('Link nicht gefunden', 'Dieser Link ist ungültig oder nicht mehr verfügbar.'),
      );
      return null;
    };
    if (!TOKEN_PATTERN.test(token)) return notFound();
    const resolved = await ctx.lookup.resolve(token);
    if (!resolved) return notFound();
    // another account's tracking domain serves none of this account's pages (issue 20)
    if (ctx.hosts.foreign(req.headers, req.socket.remoteAddress, resolved.accountId, 'consent') !== null)
      return notFound();
    // a shared tracker names a person only when its message went to one recipient
    const only =
      resolved.recipientEmail === null ? await ctx.store.messageRecipients(resolved.messageId) : [];
    const email = resolved.recipientEmail?.toLowerCase() ?? (only.length === 1 ? only[0] : undefined);
    if (!email) return notFound();
    const [account, contacts] = await Promise.all([
      ctx.store.getAccount(resolved.accountId),
      ctx.store.contactsConsent(resolved.accountId, [email]),
    ]);
    return {
      resolved,
      email,
      sender: account?.name ?? 'Der Absender',
      contact: contacts.get(email),
      base: `/e/${token}`,
      csrf: csrfToken(await csrfSecret(), `consent:${token}`),
    };
  }

  async function submit(
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    kind: 'given' | 'withdrawn',
  ) {
    const l = await load(req, reply, token);
    if (!l) return reply;
    const form = Form.safeParse(req.body);
    const ip = normaliseIp(req.ip);
    if (
      !form.success ||
      !csrfValid(await csrfSecret(), `consent:${token}`, form.data.csrf) ||
      !sameOrigin(req, ctx.publicUrl())
    )
      return page(
        reply,
        403,
        messagePage('Anfrage abgelehnt', 'Bitte laden Sie die Seite neu und versuchen Sie es erneut.'),
      );
    if (!ctx.limits.publicAllowed(ip, token))
      return page(
        reply,
        429,
        messagePage('Zu viele Anfragen', 'Bitte versuchen Sie es in einer Minute erneut.'),
      );
    const w = kind === 'given' ? consentWording(l.sender) : withdrawalWording(l.sender);
    const at = new Date();
    // the same state again (a double click, a reload) is no new declaration
    if (l.contact?.state !== kind) {
      const userAgent = String(req.headers['user-agent'] ?? '').slice(0, 1000);
      await ctx.store.recordConsent({
        accountId: l.resolved.accountId,
        emailLower: l.email,
        kind,
        messageId: l.resolved.messageId,
        token,
        wording: w.text,
        wordingSha256: w.sha256,
        wordingVersion: w.version,
        at: at.toISOString(),
        ip,
        userAgent,
      });
      gate.contactChanged(l.resolved.accountId, l.email);
      await recordEvent(ctx, req, l.resolved, kind, w, at, ip);
      req.log.info({ accountId: l.resolved.accountId, kind }, 'tracking consent recorded');
    }
    return reply
      .code(303)
      .header('location', kind === 'given' ? `${l.base}?gespeichert=1` : `${l.base}/widerruf?gespeichert=1`)
      .header('cache-control', 'no-store')
      .send();
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
    scope.get<{ Params: { token: string }; Querystring: Record<string, string> }>(
      '/e/:token',
      async (req, reply) => {
        const l = await load(req, reply, req.params.token);
        if (!l) return reply;
        const done = req.query.gespeichert === '1';
        return page(reply, 200, consentPage({ ...l, wording: consentWording(l.sender), done }));
      },
    );
    scope.post<{ Params: { token: string } }>('/e/:token', async (req, reply) =>
      submit(req, reply, req.params.token, 'given'),
    );
    scope.get<{ Params: { token: string }; Querystring: Record<string, string> }>(
      '/e/:token/widerruf',
      async (req, reply) => {
        const l = await load(req, reply, req.params.token);
        if (!l) return reply;
        const done = req.query.gespeichert === '1';
        return page(reply, 200, withdrawPage({ ...l, wording: withdrawalWording(l.sender), done }));
      },
    );
    scope.post<{ Params: { token: string } }>('/e/:token/widerruf', async (req, reply) =>
      submit(req, reply, req.params.token, 'withdrawn'),
    );
  });
}

/** the consent as an event of its message (the feed, the desktops' sync, the chain); only while the account records */
async function recordEvent(
  ctx: CollectorContext,
  req: FastifyRequest,
  resolved: ResolvedToken,
  kind: 'given' | 'withdrawn',
  w: Wording,
  at: Date,
  ip: string,
): Promise<void> {
  try {
    if (!(await ctx.lookup.trackingEnabled(resolved.accountId))) return;
    const signals = signalsFromRequest('landing', 'POST', ip, req.headers, { action: `consent_${kind}` });
    signals.at = at;
    const stored = await ctx.writer.submit({
      resolved,
      type: kind === 'given' ? 'consent.given' : 'consent.withdrawn',
      detail: { wordingSha256: w.sha256 },
      signals,
    });
    if (!stored) req.log.error({ messageId: resolved.messageId }, 'consent event not stored');
  } catch (e) {
    req.log.error({ err: e }, 'consent event not recorded');
  }
}
