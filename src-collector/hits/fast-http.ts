import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { compileClientIp, type ClientIp } from './client-ip';

/**
 * A public hit route answered straight from node:http. Returns false to leave the request to
 * fastify (which serves the same route the slow way, with identical answers).
 */
export type FastRoute = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  ip: string,
  headers: IncomingHttpHeaders,
) => boolean;

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

const routesOf = new WeakMap<FastifyInstance, FastRoute[]>();

export interface FastPathOptions {
  /** false: every request goes to fastify (tests compare the two paths) */
  enabled?: boolean;
  /** the trustProxy setting fastify was given */
  trustProxy: boolean | string;
}

const optionsOf = new WeakMap<FastifyInstance, FastPathOptions>();

/** Tells the fast path what fastify was configured with; call before the first addFastRoute. */
export function configureFastPath(app: FastifyInstance, opts: FastPathOptions): void {
  optionsOf.set(app, opts);
}

/**
 * Puts `route` in front of fastify for GET and HEAD. Measured on the pixel path, fastify's
 * routing, request/reply objects and per-request child logger cost about a third of the time
 * node:http alone needs for the whole request; the pixel and click routes need none of it.
 *
 * Left to fastify, so its own rules apply unchanged: other methods and a server that is closing
 * (its 503). The client address is fastify's `req.ip` for the configured trustProxy
 * (hits/client-ip.ts), so a collector behind nginx keeps the fast path; a request whose
 * X-Forwarded-For that module cannot read exactly as fastify would, and every request carrying
 * the header on an app never given configureFastPath, goes to fastify.
 */
export function addFastRoute(app: FastifyInstance, route: FastRoute): void {
  let routes = routesOf.get(app);
  if (!routes) {
    routes = [];
    routesOf.set(app, routes);
    if (!install(app, routes)) return;
  }
  routes.push(route);
}

function install(app: FastifyInstance, routes: FastRoute[]): boolean {
  const server: Server = app.server;
  const listeners = server.listeners('request') as RequestListener[];
  const fastify = listeners[0];
  // not the plain server fastify builds: leave every request to fastify
  if (listeners.length !== 1 || !fastify) return false;
  const opts = optionsOf.get(app);
  if (opts?.enabled === false) return false;
  const clientIp: ClientIp | null = opts ? compileClientIp(opts.trustProxy) : null;
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  server.removeListener('request', fastify);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method;
    if (!closing && (method === 'GET' || method === 'HEAD')) {
      const headers = req.headers;
      const socketAddr = req.socket.remoteAddress;
      const xff = headers['x-forwarded-for'];
      const ip =
        socketAddr === undefined
          ? null
          : xff === undefined
            ? socketAddr
            : clientIp === null || typeof xff !== 'string'
              ? null
              : clientIp(socketAddr, xff);
      if (ip !== null) {
        const url = req.url ?? '';
        const q = url.indexOf('?');
        const path = q === -1 ? url : url.slice(0, q);
        try {
          for (const r of routes) if (r(req, res, path, ip, headers)) return;
        } catch (e) {
          // the fast path's share of the top-level error handler (http/errors.ts): logged, 500, still serving
          app.log.error({ err: e, method, url }, 'request failed');
          internalError(res);
          return;
        }
      }
    }
    fastify.call(server, req, res);
  });
  return true;
}

/** Path segments the fast routes take as they are: no percent-encoding for fastify to decode. */
export const PLAIN_SEGMENT = /^[A-Za-z0-9._~-]*$/;
/** fastify's maxParamLength for this server (longer parameters get its 414) */
export const MAX_PARAM_LENGTH = 200;

const INTERNAL = Buffer.from(JSON.stringify({ error: { code: 'internal', message: 'internal error' } }));

/** What fastify's error handler (http/errors.ts) answers for a bug in a route, on the raw response. */
export function internalError(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, {
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(INTERNAL.length),
  });
  res.end(INTERNAL);
}
