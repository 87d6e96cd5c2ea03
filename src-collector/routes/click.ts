import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { redirectLocation } from '../../src-shared/link-policy';
import { TOKEN_PATTERN } from '../../src-shared/tracking-urls';
import type { CollectorContext } from '../context';
import { addFastRoute, internalError, MAX_PARAM_LENGTH, PLAIN_SEGMENT } from '../hits/fast-http';
import { signalsFromRequest } from '../hits/signals';
import { normaliseIp } from '../util/ip';

const NOT_FOUND_HTML = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Link nicht gefunden</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}</style>
</head><body><h1>Link nicht gefunden</h1>
<p>Dieser Link ist ungültig oder nicht mehr verfügbar. Bitte prüfen Sie die Adresse oder wenden Sie sich an den Absender der E-Mail.</p>
</body></html>`;

const NOT_FOUND_BYTES = Buffer.from(NOT_FOUND_HTML, 'utf8');
const UNAVAILABLE_TEXT = 'Bitte später erneut versuchen.';

export function notFoundPage(reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(NOT_FOUND_HTML);
}

type ClickAnswer = { to: 'link'; location: string } | { to: 'not_found' } | { to: 'unavailable' };

/**
 * Where a click goes, recording it first when the token and link are known, tracking is on and
 * the limits allow; resolves after the commit. A failed record still sends the person on.
 */
async function click(
  ctx: CollectorContext,
  token: string,
  n: string,
  method: string,
  rawIp: string,
  headers: IncomingHttpHeaders,
  socketAddr: string | undefined,
): Promise<ClickAnswer> {
  if (!TOKEN_PATTERN.test(token) || !/^\d{1,5}$/.test(n)) return { to: 'not_found' };
  const index = Number(n);
  let resolved;
  try {
    resolved = ctx.lookup.cachedToken(token) ?? (await ctx.lookup.resolve(token));
  } catch (e) {
    ctx.log.error({ err: e }, 'click token lookup failed');
    return { to: 'unavailable' };
  }
  if (!resolved) return { to: 'not_found' };
  // issue 20: another account's token on a tracking domain: the page of an unknown link, no
  // redirect (its links would send the domain owner's prospects to a stranger's targets)
  if (ctx.hosts.foreign(headers, socketAddr, resolved.accountId, 'click') !== null)
    return { to: 'not_found' };
  // the hidden honeypot link (index one past the real ones): recorded, then answered as unknown
  const honeypot = index === resolved.links.length;
  const target = resolved.links[index];
  if (target === undefined && !honeypot) return { to: 'not_found' };
  const ip = normaliseIp(rawIp);
  if (ctx.limits.publicAllowed(ip, token)) {
    try {
      const enabled =
        (ctx.lookup.cachedTracking(resolved.accountId) ??
          (await ctx.lookup.trackingEnabled(resolved.accountId))) &&
        // issue 17: the click switch and the contact's consent as they are now
        (ctx.consent.cachedAllows(resolved, 'email.link_clicked') ??
          (await ctx.consent.allows(resolved, 'email.link_clicked')));
      if (enabled) {
        await ctx.writer.submit(
          target === undefined
            ? {
                resolved,
                type: 'email.link_clicked',
                detail: { linkIndex: index, honeypot: true },
                signals: signalsFromRequest('click', method, ip, headers, {
                  linkIndex: index,
                  honeypot: true,
                }),
              }
            : {
                resolved,
                type: 'email.link_clicked',
                detail: { url: target, linkIndex: index },
                signals: signalsFromRequest('click', method, ip, headers, { linkIndex: index }),
              },
        );
      }
    } catch (e) {
      // the person still reaches the link; only the record is lost
      ctx.log.error({ err: e }, 'click hit not recorded');
    }
  }
  // the honeypot never redirects: whoever follows it sees the page of an unknown link
  return target === undefined ? { to: 'not_found' } : { to: 'link', location: locationHeader(target) };
}

function send(reply: FastifyReply, a: ClickAnswer): FastifyReply {
  if (a.to === 'not_found') return notFoundPage(reply);
  if (a.to === 'unavailable') {
    return reply
      .code(503)
      .header('cache-control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send(UNAVAILABLE_TEXT);
  }
  return reply.code(302).header('location', a.location).header('cache-control', 'no-store').send();
}

/** The same answers as `send`, byte for byte in status and headers, on the raw response. */
function sendRaw(res: ServerResponse, a: ClickAnswer): void {
  if (a.to === 'link') {
    res.writeHead(302, { location: a.location, 'cache-control': 'no-store', 'content-length': '0' });
    res.end();
  } else if (a.to === 'not_found') {
    res.writeHead(404, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': String(NOT_FOUND_BYTES.length),
    });
    res.end(NOT_FOUND_BYTES);
  } else {
    const body = Buffer.from(UNAVAILABLE_TEXT, 'utf8');
    res.writeHead(503, {
      'cache-control': 'no-store',
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(body.length),
    });
    res.end(body);
  }
}

/**
 * GET /c/{token}/{n}: 302 to link n exactly as registered for that token. The target never
 * comes from the request, so the route cannot be used as an open redirect. n = the number of
 * links is the hidden honeypot: recorded as a click with `honeypot: true`, answered with the
 * 404 page of an unknown link.
 */
export function registerClick(app: FastifyInstance, ctx: CollectorContext): void {
  app.get<{ Params: { token: string; n: string } }>('/c/:token/:n', async (req, reply) =>
    send(
      reply,
      await click(
        ctx,
        req.params.token,
        req.params.n,
        req.method,
        req.ip,
        req.headers,
        req.socket.remoteAddress,
      ),
    ),
  );

  // the same route in front of fastify (hits/fast-http.ts): plain segments only
  addFastRoute(app, (req, res, path, ip, headers) => {
    if (!path.startsWith('/c/')) return false;
    const slash = path.indexOf('/', 3);
    if (slash === -1) return false;
    const token = path.slice(3, slash);
    const n = path.slice(slash + 1);
    if (token === '' || n === '' || token.length > MAX_PARAM_LENGTH || n.length > MAX_PARAM_LENGTH)
      return false;
    if (!PLAIN_SEGMENT.test(token) || !PLAIN_SEGMENT.test(n)) return false;
    click(ctx, token, n, req.method ?? 'GET', ip, headers, req.socket.remoteAddress).then(
      (a) => sendRaw(res, a),
      (e: unknown) => {
        ctx.log.error({ err: e, url: req.url }, 'request failed');
        internalError(res);
      },
    );
    return true;
  });
}

/**
 * Always the WHATWG href of the registered URL, never the string as stored: `https:evil.example`
 * or a backslash registered before such links were refused would be read differently by
 * other parsers than by the browser.
 */
function locationHeader(target: string): string {
  return redirectLocation(target);
}
