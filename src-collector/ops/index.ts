import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CollectorContext } from '../context';
import { isProbeNonce } from '../domains/probe';
import { sendError } from '../http/errors';
import type { ReadinessProbe } from '../store/types';
import { attachMetrics, CollectorMetrics } from './metrics';

export interface OpsOptions {
  /** Bearer token for /metrics; unset: open (put it behind nginx, docs/collector.md) */
  metricsToken?: string;
  /** /readyz fails while more hits than this wait for the writer (default 5000) */
  maxQueue?: number;
  /**
   * false (or BLITZ_METRICS=0): no Prometheus metrics at all, /metrics answers 404. For the
   * bench's same-run comparison of their cost (bench/scenarios/metrics.ts) and for an operator
   * who scrapes nothing.
   */
  metrics?: boolean;
}

/** how long one probe answers every /readyz (a load balancer polling each second costs one probe) */
const PROBE_TTL_MS = 1000;
/** how long SIGTERM waits for the requests already being answered */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * The operator's endpoints (issue 20), unauthenticated except /metrics when a token is set:
 * GET /healthz (the process answers), GET /readyz (it can take hits now), GET /metrics.
 * None of them says anything about accounts; /readyz names only which check failed.
 */
export function registerOps(app: FastifyInstance, ctx: CollectorContext, opts: OpsOptions = {}): void {
  const metricsOn = opts.metrics ?? process.env.BLITZ_METRICS !== '0';
  const metrics = metricsOn
    ? new CollectorMetrics({
        queueDepth: () => ctx.writer.depth,
        openStreams: () => ctx.streams.size,
      })
    : null;
  if (metrics) {
    attachMetrics(ctx.writer, metrics);
    attachMetrics(ctx.limits, metrics);
  }
  // every answer, the fast path's too (it never reaches fastify's hooks); and the requests still
  // being answered, which SIGTERM waits for (below)
  let inFlight = 0;
  let drained: (() => void) | null = null;
  app.server.prependListener('request', (_req, res: ServerResponse) => {
    inFlight++;
    res.once('close', () => {
      metrics?.countAnswer(res);
      if (--inFlight === 0) drained?.();
    });
  });
  if (metrics) {
    app.addHook('onResponse', async (req, reply) => {
      if (req.routeOptions.url === '/api/v1/events') metrics.pullSeconds.observe(reply.elapsedTime / 1000);
    });
  }

  const maxQueue = opts.maxQueue ?? numberFromEnv(process.env.BLITZ_READY_MAX_QUEUE, 5000);
  let closing = false;
  let cached: { at: number; result: Promise<ReadinessProbe> } | null = null;
  let lastBad = '';

  // Draining, before fastify destroys every connection (forceCloseConnections): /readyz and new
  // requests answer 503 from here on (fastify's return503OnClosing; nginx takes them elsewhere),
  // streams end (the desktops resume with Last-Event-ID elsewhere), and every request already
  // inside, a pixel waiting for its commit above all, gets its answer first.
  app.addHook('preClose', async () => {
    closing = true;
    for (const stop of [...ctx.streams]) stop();
    if (inFlight > 0) {
      const left = await new Promise<number>((resolve) => {
        const timer = setTimeout(() => resolve(inFlight), DRAIN_TIMEOUT_MS);
        drained = () => {
          clearTimeout(timer);
          resolve(0);
        };
      });
      drained = null;
      if (left > 0) ctx.log.warn({ requests: left }, 'requests still open after the drain timeout');
    }
    await ctx.writer.drain();
  });
  app.addHook('onClose', async () => {
    metrics?.close();
  });

  const noStore = (reply: FastifyReply): FastifyReply => reply.header('cache-control', 'no-store');

  // issue 20: a tracking domain's probe sends a fresh nonce; only this deployment can answer it
  // (an HMAC with the store's secret, bound to the host asked for: domains/probe.ts)
  app.get('/healthz', async (req, reply) => {
    const nonce = (req.query as Record<string, unknown> | undefined)?.probe;
    const host = isProbeNonce(nonce)
      ? ctx.hosts.requestHost(req.headers, req.socket.remoteAddress)
      : undefined;
    if (host !== undefined && isProbeNonce(nonce))
      return noStore(reply).send({ status: 'ok', probe: ctx.probeAnswer(host, nonce) });
    return noStore(reply).send({ status: 'ok' });
  });

  app.get('/readyz', async (_req, reply) => {
    const now = Date.now();
    if (!cached || now - cached.at > PROBE_TTL_MS) cached = { at: now, result: ctx.store.probeReadiness() };
    const p = await cached.result;
    const depth = ctx.writer.depth;
    const checks = {
      store: p.store,
      schema: p.schema,
      writerQueue: depth < maxQueue ? 'ok' : 'full',
      shutdown: closing ? 'stopping' : 'no',
    };
    const ready =
      p.store === 'ok' &&
      (p.schema === 'current' || p.schema === 'unknown') &&
      checks.writerQueue === 'ok' &&
      !closing;
    // the reason goes to the log (once per change), never into the answer
    const state = ready ? '' : JSON.stringify(checks);
    if (state !== lastBad) {
      if (ready) ctx.log.info('ready again');
      else ctx.log.warn({ checks, detail: p.detail, queued: depth }, 'not ready');
      lastBad = state;
    }
    return noStore(reply)
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  const token = opts.metricsToken ?? process.env.BLITZ_METRICS_TOKEN;
  const expected = token ? createHash('sha256').update(token).digest() : null;
  app.get('/metrics', async (req, reply) => {
    if (!metrics) return sendError(reply, 404, 'metrics_off', 'metrics are off (BLITZ_METRICS=0)');
    if (expected) {
      const m = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
      const given = createHash('sha256')
        .update(m?.[1] ?? '')
        .digest();
      if (!m || !timingSafeEqual(given, expected))
        return sendError(
          reply.header('www-authenticate', 'Bearer'),
          401,
          'unauthorized',
          'metrics token needed',
        );
    }
    const body = await metrics.registry.metrics();
    return noStore(reply).type(metrics.registry.contentType).send(body);
  });
}

function numberFromEnv(v: string | undefined, dflt: number): number {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : dflt;
}
