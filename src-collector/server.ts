import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { classify as defaultClassify } from './classify/index';
import type { Classifier } from './classify/types';
import type { CollectorContext } from './context';
import { authenticateFirst } from './http/auth';
import { errorHandler, sendError } from './http/errors';
import { registerEvidence } from './evidence/routes';
import { openEvidenceServices, type EvidenceServices } from './evidence/service';
import { HostMap } from './domains/host-map';
import { apiOffTrackingDomains, registerTrackingDomains } from './domains/routes';
import { probeAnswer, probeOptionsFromEnv } from './domains/probe';
import { DEFAULT_ACME_WEBROOT } from './domains/setup';
import { DomainVerifier, type VerifierOptions } from './domains/verifier';
import { configureFastPath } from './hits/fast-http';
import { HitWriter } from './hits/writer';
import { Lookup } from './lookup';
import { openOfferServices, registerOffers, type OfferServices } from './offers';
import { registerOps } from './ops';
import { registerConsentApi } from './consent/api';
import { ConsentGate } from './consent/gate';
import { registerConsentPages } from './consent/page';
import { registerApi } from './routes/api';
import { registerClick } from './routes/click';
import { registerMailboxSignals } from './routes/mailbox';
import { registerOpenApi } from './routes/openapi';
import { registerPixel } from './routes/pixel';
import { registerPrivacy } from './privacy/routes';
import { registerStream } from './routes/stream';
import { openStore } from './store/open';
import type { Store } from './store/types';
import { Limits, rateLimitsFromEnv, type RateLimits } from './util/rate-limit';

export { createAccount, createUser } from './accounts';
export type { Store } from './store/types';

export interface CollectorOptions {
  /** SQLite file; default a fresh file in a temp dir, removed on close */
  db?: string;
  /** postgres://…; default process.env.DATABASE_URL */
  databaseUrl?: string;
  /** an already open store (the caller closes it) */
  store?: Store;
  port?: number;
  host?: string;
  /** base URL of the pixel and click links; default the listening URL */
  publicUrl?: string;
  /** abuse limits; default on unless BLITZ_RATE_LIMIT=0 */
  rateLimit?: boolean;
  rateLimits?: Partial<RateLimits>;
  logLevel?: pino.LevelWithSilent;
  logger?: Logger;
  /** proxy addresses whose X-Forwarded-For is believed (fastify trustProxy); default BLITZ_TRUST_PROXY */
  trustProxy?: boolean | string;
  /** answer pixel and click from node:http in front of fastify (hits/fast-http.ts); default true */
  fastPath?: boolean;
  synchronous?: 'FULL' | 'NORMAL';
  classify?: Classifier;
  heartbeatMs?: number;
  /** offers and landing pages; default the store's own (its offers, evidence and files) */
  offers?: OfferServices;
  /**
   * the desktop's local test mode: the app's API calls from 127.0.0.1/::1 do not make loopback
   * the sender's own address (the webmail on the same computer opens mails from there too)
   */
  loopbackIsNotSender?: boolean;
  /**
   * issue 16, the Nachweisakte: the store's evidence chain, chained and signed in the background
   * (on by default when the key has a home: beside the collector's own SQLite file, in
   * BLITZ_EVIDENCE_KEY or `keyFile`; false, or BLITZ_EVIDENCE=0, turns it off)
   */
  evidence?: false | { keyFile?: string; tsaUrl?: string; signEveryMs?: number };
  /**
   * issue 20, tracking domains: believe X-Forwarded-Host from a trusted proxy (see trustProxy);
   * default BLITZ_TRUST_FORWARDED_HOST=1. Off, the Host header names the host.
   */
  trustForwardedHost?: boolean;
  /** where an account's tracking domain's DNS record points; default BLITZ_DOMAIN_TARGET, else publicUrl's host */
  domainTarget?: string;
  /** how often the tracking domains are read again (another instance's change); default 10 s */
  domainRefreshMs?: number;
  /**
   * issue 20: how tracking domains are probed before they go live (resolver, trusted CAs, port,
   * backoff; tests pass their own). `periodic: false` (or BLITZ_DOMAIN_PROBE_PERIODIC=0): only
   * on set and on demand.
   */
  domainProbe?: VerifierOptions & { periodic?: boolean };
}

export interface RunningCollector {
  url: string;
  publicUrl: string;
  store: Store;
  app: FastifyInstance;
  /** issue 16: the evidence chain, when on */
  evidence: EvidenceServices | null;
  close(): Promise<void>;
}

const BODY_LIMIT = 2 * 1024 * 1024;

export async function startCollector(opts: CollectorOptions = {}): Promise<RunningCollector> {
  const log = opts.logger ?? pino({ level: opts.logLevel ?? 'info', base: { svc: 'blitz-collector' } });
  let tmp: string | null = null;
  let store = opts.store;
  let file = opts.db;
  if (!store) {
    if (!file) {
      tmp = mkdtempSync(join(tmpdir(), 'blitz-collector-'));
      file = join(tmp, 'collector.db');
    }
    const opened = await openStore({
      file,
      databaseUrl: opts.databaseUrl ?? process.env.DATABASE_URL,
      synchronous: opts.synchronous,
    });
    if (!opened.ok) {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      throw new Error(`${opened.error.message}${opened.error.detail ? `: ${opened.error.detail}` : ''}`);
    }
    store = opened.value;
  }
  const ownsStore = !opts.store;
  // for the log only: which database this collector writes to
  const storeName = opts.store
    ? 'given'
    : (opts.databaseUrl ?? process.env.DATABASE_URL)
      ? 'postgres'
      : 'sqlite';
  // offers and landing pages: the store holds them (offers, evidence, files) on every dialect
  const offers: OfferServices = opts.offers ?? (await openOfferServices(store));
  const ownsOffers = !opts.offers;
  // issue 16: the evidence chain, an aggregate of the store. Its key lives beside the SQLite
  // file or where BLITZ_EVIDENCE_KEY / opts.evidence.keyFile says; a store handed in without
  // either (tests) has no home for a key, so no chain.
  let evidence: EvidenceServices | null = null;
  const keyFile = (opts.evidence || undefined)?.keyFile;
  const keyHome = keyFile ?? process.env.BLITZ_EVIDENCE_KEY ?? (ownsStore ? file : undefined);
  if (opts.evidence !== false && process.env.BLITZ_EVIDENCE !== '0' && keyHome) {
    try {
      evidence = openEvidenceServices({
        store,
        sqliteFile: storeName === 'sqlite' ? file : undefined,
        synchronous: opts.synchronous,
        databaseUrl: storeName === 'postgres' ? (opts.databaseUrl ?? process.env.DATABASE_URL) : undefined,
        log,
        ...(opts.evidence || {}),
      });
    } catch (e) {
      log.warn({ err: e }, 'evidence chain not available');
    }
  }

  const limitsCfg = { ...rateLimitsFromEnv(process.env, opts.rateLimit), ...opts.rateLimits };
  const trustProxy = opts.trustProxy ?? trustProxyFromEnv(process.env.BLITZ_TRUST_PROXY);
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // one log line per pixel hit would cost more than the hit itself
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    trustProxy,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    // node would answer a missing Host (400) and an unknown Expect (417) itself, without our headers
    http: { requireHostHeader: false },
    clientErrorHandler: (err, socket) => {
      // malformed requests below fastify (oversize headers, broken framing): still our JSON shape
      const code = (err as NodeJS.ErrnoException).code;
      const [status, text] =
        code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
      const body = JSON.stringify({
        error: { code: status === 431 ? 'headers_too_large' : 'bad_request', message: text },
      });
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      } else {
        socket.destroy();
      }
    },
  });

  let publicUrl = opts.publicUrl ?? '';
  let listenUrl = '';
  const classify = opts.classify ?? defaultClassify;
  const hosts = new HostMap(store.trackingDomains, log, {
    trustProxy,
    trustForwardedHost: opts.trustForwardedHost ?? isOn(process.env.BLITZ_TRUST_FORWARDED_HOST),
    refreshMs: opts.domainRefreshMs,
  });
  await hosts.start();
  const domainTarget = opts.domainTarget ?? process.env.BLITZ_DOMAIN_TARGET;
  const probeSecret = await store.trackingDomains.probeSecret();
  const verifier = new DomainVerifier(store.trackingDomains, probeSecret, log, () => hosts.refresh(), {
    ...opts.domainProbe,
    probe: {
      ...probeOptionsFromEnv(process.env),
      // the name should lead where the admin was told to point it (the message says so if not)
      expectedTarget: domainTarget || (opts.publicUrl ? new URL(opts.publicUrl).hostname : undefined),
      ...opts.domainProbe?.probe,
    },
  });
  const ctx: CollectorContext = {
    store,
    writer: new HitWriter(store, classify, log),
    lookup: new Lookup(store),
    consent: new ConsentGate(store),
    limits: new Limits(limitsCfg),
    classify,
    log,
    publicUrl: () => publicUrl,
    trackingBase: (accountId) => hosts.baseUrlFor(accountId, publicUrl),
    hosts,
    domainSetup: () => ({
      target: domainTarget || new URL(publicUrl).hostname,
      upstream: listenUrl,
      webroot: process.env.BLITZ_ACME_WEBROOT || DEFAULT_ACME_WEBROOT,
    }),
    domainVerifier: verifier,
    probeAnswer: (host, nonce) => probeAnswer(probeSecret, host, nonce),
    heartbeatMs: opts.heartbeatMs ?? 15_000,
    streams: new Set(),
    loopbackIsNotSender: opts.loopbackIsNotSender ?? false,
  };

  app.setErrorHandler(errorHandler);
  // before any route: no body is read for a caller without a valid token (http/auth.ts)
  // issue 20: no API on an account's tracking domain (domains/routes.ts)
  app.addHook('onRequest', apiOffTrackingDomains(hosts));
  app.addHook('onRequest', authenticateFirst(ctx));
  app.setNotFoundHandler((_req, reply) =>
    // the path is not repeated: an answer never reflects what the request carried
    sendError(reply, 404, 'not_found', 'no such route'),
  );
  configureFastPath(app, { trustProxy, enabled: opts.fastPath ?? true });
  // route modules, one per area (offers and their landing pages /l/{token} come last)
  registerPixel(app, ctx);
  registerClick(app, ctx);
  registerApi(app, ctx);
  registerStream(app, ctx);
  registerMailboxSignals(app, ctx);
  registerTrackingDomains(app, ctx);
  registerConsentApi(app, ctx, ctx.consent);
  registerConsentPages(app, ctx, ctx.consent);
  registerPrivacy(app, ctx);
  registerOpenApi(app, ctx.publicUrl);
  registerOffers(app, ctx, offers);
  if (evidence) registerEvidence(app, ctx, evidence, offers);
  // issue 20: /healthz, /readyz (through the store's probeReadiness), /metrics, the SIGTERM drain
  // (src-collector/ops/); after the fast routes: it adds a request listener, and the fast path
  // installs only over fastify's lone one
  registerOps(app, ctx);
  // every answer, from fastify, the fast path or a refusal, is taken only as what it declares;
  // prepended after the fast routes took over the request listener (hits/fast-http.ts)
  app.server.prependListener('request', (_req, res: ServerResponse) =>
    res.setHeader('x-content-type-options', 'nosniff'),
  );
  app.server.on('checkExpectation', (_req, res: ServerResponse) => {
    const body = JSON.stringify({ error: { code: 'expectation_failed', message: 'expectation failed' } });
    res.writeHead(417, {
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    res.end(body);
  });
  app.addHook('preClose', async () => {
    for (const stop of [...ctx.streams]) stop();
  });

  const address = await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  const url = address.replace('://[::1]', '://localhost');
  publicUrl = stripSlash(publicUrl || url);
  listenUrl = url;
  log.info({ url, publicUrl, store: storeName, rateLimit: limitsCfg.enabled }, 'collector listening');
  if ((opts.domainProbe?.periodic ?? true) && process.env.BLITZ_DOMAIN_PROBE_PERIODIC !== '0')
    verifier.start();

  let closed = false;
  return {
    url,
    publicUrl,
    store,
    app,
    evidence,
    close: async () => {
      if (closed) return;
      closed = true;
      hosts.stop();
      await verifier.stop();
      await app.close();
      await ctx.writer.drain();
      await evidence?.close();
      if (ownsOffers) await offers.close();
      if (ownsStore) await store.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

function stripSlash(u: string): string {
  return u.endsWith('/') ? u.slice(0, -1) : u;
}

function isOn(v: string | undefined): boolean {
  return v === '1' || v === 'true';
}

function trustProxyFromEnv(v: string | undefined): boolean | string {
  if (v === undefined || v === '' || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  return v;
}
