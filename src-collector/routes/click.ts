import type { FastifyInstance, FastifyReply } from 'fastify';
import { TOKEN_PATTERN } from '../../src-shared/tracking-urls';
import type { CollectorContext } from '../context';
import { signalsFromRequest } from '../hits/signals';
import { normaliseIp } from '../util/ip';

const NOT_FOUND_HTML = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Link nicht gefunden</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}</style>
</head><body><h1>Link nicht gefunden</h1>
<p>Dieser Link ist ungültig oder nicht mehr verfügbar. Bitte prüfen Sie die Adresse oder wenden Sie sich an den Absender der E-Mail.</p>
</body></html>`;

export function notFoundPage(reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(NOT_FOUND_HTML);
}

/**
 * GET /c/{token}/{n}: 302 to link n exactly as registered for that token. The target never
 * comes from the request, so the route cannot be used as an open redirect.
 */
export function registerClick(app: FastifyInstance, ctx: CollectorContext): void {
  app.get<{ Params: { token: string; n: string } }>('/c/:token/:n', async (req, reply) => {
    const { token, n } = req.params;
    if (!TOKEN_PATTERN.test(token) || !/^\d{1,5}$/.test(n)) return notFoundPage(reply);
    const index = Number(n);
    let resolved;
    try {
      resolved = await ctx.lookup.resolve(token);
    } catch (e) {
      req.log.error({ err: e }, 'click token lookup failed');
      return reply.code(503).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('Bitte später erneut versuchen.');
    }
    const target = resolved?.links[index];
    if (!resolved || target === undefined) return notFoundPage(reply);
    const ip = normaliseIp(req.ip);
    if (ctx.limits.publicAllowed(ip, token)) {
      try {
        if (await ctx.lookup.trackingEnabled(resolved.accountId)) {
          await ctx.writer.submit({
            resolved,
            type: 'email.link_clicked',
            detail: { url: target, linkIndex: index },
            signals: signalsFromRequest('click', req.method, ip, req.headers, { linkIndex: index }),
          });
        }
      } catch (e) {
        // the person still reaches the link; only the record is lost
        req.log.error({ err: e }, 'click hit not recorded');
      }
    }
    return reply.code(302).header('location', locationHeader(target)).header('cache-control', 'no-store').send();
  });
}

/** The registered URL verbatim when it is plain ASCII, else its equivalent percent-encoded form. */
function locationHeader(target: string): string {
  return /^[\x21-\x7e]+$/.test(target) ? target : new URL(target).href;
}
