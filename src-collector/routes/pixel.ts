import type { FastifyInstance, FastifyReply } from 'fastify';
import { TOKEN_PATTERN } from '../../src-shared/tracking-urls';
import type { CollectorContext } from '../context';
import { signalsFromRequest } from '../hits/signals';
import { PIXEL_GIF } from '../util/gif';
import { normaliseIp } from '../util/ip';

function gif(reply: FastifyReply): FastifyReply {
  return reply
    .code(200)
    .header('content-type', 'image/gif')
    .header('cache-control', 'no-store, max-age=0')
    .send(PIXEL_GIF);
}

/**
 * GET /o/{token}.gif answers the same 43 bytes whatever happens — unknown token, rate limit,
 * switch off, store failure — so the pixel reveals nothing and never breaks a mail's layout.
 * A recorded hit is answered only after its commit.
 */
export function registerPixel(app: FastifyInstance, ctx: CollectorContext): void {
  app.get<{ Params: { name: string } }>('/o/:name', async (req, reply) => {
    const name = req.params.name;
    const token = name.endsWith('.gif') ? name.slice(0, -4) : '';
    if (!TOKEN_PATTERN.test(token)) return gif(reply);
    const ip = normaliseIp(req.ip);
    if (!ctx.limits.publicAllowed(ip, token)) return gif(reply);
    try {
      const resolved = await ctx.lookup.resolve(token);
      if (resolved && (await ctx.lookup.trackingEnabled(resolved.accountId))) {
        await ctx.writer.submit({
          resolved,
          type: 'email.opened',
          detail: {},
          signals: signalsFromRequest('open', req.method, ip, req.headers),
        });
      }
    } catch (e) {
      req.log.error({ err: e }, 'pixel hit not recorded');
    }
    return gif(reply);
  });
}
