import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { CollectorContext } from '../context';
import type { UserRecord } from '../store/types';
import { isLoopback, normaliseIp } from '../util/ip';
import { Lru } from '../util/lru';
import { API_TOKEN_PATTERN, hashToken } from '../util/tokens';
import { sendError } from './errors';

const users = new WeakMap<CollectorContext, Lru<string, UserRecord>>();
/** callers already authenticated by the onRequest hook, so the handler's check costs nothing twice */
const authenticated = new WeakMap<FastifyRequest, UserRecord>();

/** Paths that need a token: the whole API except its own description. */
export function needsToken(url: string): boolean {
  return url.startsWith('/api/') && !/^\/api\/v1\/openapi\.json(?:\?|$)/.test(url);
}

/**
 * The onRequest hook in front of every authenticated route: token and rate limits are checked
 * before fastify reads a byte of the body (preParsing, parsing and validation come later), so an
 * anonymous 40 MB upload is answered 401 at once and never buffered. A refused request with a
 * body still coming closes its connection instead of draining the rest.
 */
export function authenticateFirst(ctx: CollectorContext): onRequestAsyncHookHandler {
  return async (req, reply) => {
    if (!needsToken(req.url)) return;
    const user = await authenticate(ctx, req, reply);
    if (user) return;
    if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined)
      reply.header('connection', 'close');
    return reply;
  };
}

/**
 * The caller behind `Authorization: Bearer …`, or an error already sent. Also notes the
 * caller's IP as one of the sender's own (the classifier's `self` verdict).
 */
export async function authenticate(
  ctx: CollectorContext,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<UserRecord | null> {
  const known = authenticated.get(req);
  if (known) return known;
  const ip = normaliseIp(req.ip);
  const { limits } = ctx;
  if (limits.cfg.enabled && !limits.apiIp.allow(ip)) {
    sendError(reply.header('retry-after', '60'), 429, 'rate_limited', 'too many requests from this address');
    return null;
  }
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header) : null;
  const token = m?.[1];
  let user: UserRecord | null = null;
  if (token && API_TOKEN_PATTERN.test(token)) {
    const hash = hashToken(token);
    let cache = users.get(ctx);
    if (!cache) {
      cache = new Lru(1000, 60_000);
      users.set(ctx, cache);
    }
    user = cache.get(hash) ?? (await ctx.store.findUserByTokenHash(hash));
    if (user) cache.set(hash, user);
  }
  if (!user) {
    if (limits.cfg.enabled && !limits.authFailures.allow(ip)) {
      sendError(
        reply.header('retry-after', '60'),
        429,
        'rate_limited',
        'too many failed logins from this address',
      );
      return null;
    }
    sendError(
      reply.header('www-authenticate', 'Bearer'),
      401,
      'unauthorized',
      header === undefined ? 'missing Authorization: Bearer token' : 'invalid or unknown API token',
    );
    return null;
  }
  if (limits.cfg.enabled && !limits.apiToken.allow(user.id)) {
    sendError(reply.header('retry-after', '60'), 429, 'rate_limited', 'too many requests for this token');
    return null;
  }
  if (!(ctx.loopbackIsNotSender && isLoopback(ip))) await ctx.store.recordSenderIp(user.id, ip, new Date());
  authenticated.set(req, user);
  return user;
}
