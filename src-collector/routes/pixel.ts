import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TOKEN_PATTERN } from '../../src-shared/tracking-urls';
import type { CollectorContext } from '../context';
import { addFastRoute, internalError, MAX_PARAM_LENGTH, PLAIN_SEGMENT } from '../hits/fast-http';
import { signalsFromRequest } from '../hits/signals';
import { PIXEL_GIF } from '../util/gif';
import { normaliseIp } from '../util/ip';

const GIF_HEADERS = {
  'content-type': 'image/gif',
  'cache-control': 'no-store, max-age=0',
  'content-length': String(PIXEL_GIF.length),
} as const;

function gif(reply: FastifyReply): FastifyReply {
  return reply
    .code(200)
    .header('content-type', GIF_HEADERS['content-type'])
    .header('cache-control', GIF_HEADERS['cache-control'])
    .send(PIXEL_GIF);
}

/**
 * Records the open when the name carries a known token, tracking is on and the limits allow;
 * resolves after the commit. Never rejects: whatever happens the answer is the GIF.
 */
async function recordOpen(
  ctx: CollectorContext,
  name: string,
  method: string,
  rawIp: string,
  headers: IncomingHttpHeaders,
  socketAddr: string | undefined,
): Promise<void> {
  const token = name.endsWith('.gif') ? name.slice(0, -4) : '';
  if (!TOKEN_PATTERN.test(token)) return;
  const ip = normaliseIp(rawIp);
  if (!ctx.limits.publicAllowed(ip, token)) return;
  try {
    // cached answers are taken synchronously: each await is another turn through the microtask queue
    const resolved = ctx.lookup.cachedToken(token) ?? (await ctx.lookup.resolve(token));
    if (!resolved) return;
    // issue 20: another account's token on a tracking domain is answered (the GIF) but not recorded
    if (ctx.hosts.foreign(headers, socketAddr, resolved.accountId, 'pixel') !== null) return;
    const enabled =
      (ctx.lookup.cachedTracking(resolved.accountId) ??
        (await ctx.lookup.trackingEnabled(resolved.accountId))) &&
      // issue 17: the open switch and the contact's consent as they are now
      (ctx.consent.cachedAllows(resolved, 'email.opened') ??
        (await ctx.consent.allows(resolved, 'email.opened')));
    if (enabled) {
      await ctx.writer.submit({
        resolved,
        type: 'email.opened',
        detail: {},
        signals: signalsFromRequest('open', method, ip, headers),
      });
    }
  } catch (e) {
    ctx.log.error({ err: e }, 'pixel hit not recorded');
  }
}

/**
 * GET /o/{token}.gif answers the same 43 bytes whatever happens — unknown token, rate limit,
 * switch off, store failure — so the pixel reveals nothing and never breaks a mail's layout.
 * A recorded hit is answered only after its commit.
 */
export function registerPixel(app: FastifyInstance, ctx: CollectorContext): void {
  app.get<{ Params: { name: string } }>('/o/:name', async (req, reply) => {
    await recordOpen(ctx, req.params.name, req.method, req.ip, req.headers, req.socket.remoteAddress);
    return gif(reply);
  });

  // the same route in front of fastify (hits/fast-http.ts): plain names only
  addFastRoute(app, (req, res, path, ip, headers) => {
    if (!path.startsWith('/o/')) return false;
    const name = path.slice(3);
    if (name.length > MAX_PARAM_LENGTH || !PLAIN_SEGMENT.test(name)) return false;
    recordOpen(ctx, name, req.method ?? 'GET', ip, headers, req.socket.remoteAddress).then(
      () => {
        res.writeHead(200, GIF_HEADERS);
        res.end(PIXEL_GIF);
      },
      (e: unknown) => {
        ctx.log.error({ err: e, url: req.url }, 'request failed');
        internalError(res);
      },
    );
    return true;
  });
}
