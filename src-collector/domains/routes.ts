import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { SetTrackingDomainRequest, TrackingDomainResponse } from '../../src-shared/tracking-domain';
import type { CollectorContext } from '../context';
import { authenticate } from '../http/auth';
import { describeZodError, sendError } from '../http/errors';
import type { ApiRouteSpec } from '../routes/api-spec';
import type { UserRecord } from '../store/types';
import { describeDomain, setTrackingDomain } from './service';
import { hostName, type HostMap } from './host-map';

/** Issue 20: the account's tracking domain in API v1; listed in the OpenAPI document. */
export const domainApiSpec = {
  getTrackingDomain: {
    method: 'GET',
    path: '/api/v1/tracking-domain',
    summary:
      "The account's own tracking host name (null: the collector's address), with the DNS record, nginx server block and ACME commands it needs (docs/operations.md)",
    response: TrackingDomainResponse,
  },
  putTrackingDomain: {
    method: 'PUT',
    path: '/api/v1/tracking-domain',
    summary:
      "Set the account's tracking host name (admin). It starts pending and is probed at once (and later with backoff); only once the probe passes do new pixels, links and landing pages use https://{host}. 409 domain_taken (another account's) or shared_host (the collector's own)",
    adminOnly: true,
    body: SetTrackingDomainRequest,
    response: TrackingDomainResponse,
  },
  verifyTrackingDomain: {
    method: 'POST',
    path: '/api/v1/tracking-domain/verify',
    summary:
      "Probe the account's tracking host now (admin): DNS, a valid certificate for the name and this collector's own /healthz through it. Passed: it goes live (new links use it). The answer holds the state and the last probe's outcome",
    adminOnly: true,
    response: TrackingDomainResponse,
  },
  deleteTrackingDomain: {
    method: 'DELETE',
    path: '/api/v1/tracking-domain',
    summary:
      "Remove the account's tracking host name (admin); new links use the collector's address again, links already sent keep working while the host still reaches the collector",
    adminOnly: true,
    response: TrackingDomainResponse,
  },
} as const satisfies Record<string, ApiRouteSpec>;

/**
 * onRequest, before authentication: an agency's tracking domain serves pixels, links and landing
 * pages, not the API (the desktops call the collector's own address) — one host, one job.
 */
export function apiOffTrackingDomains(hosts: HostMap): onRequestAsyncHookHandler {
  return async (req, reply) => {
    if (req.url.startsWith('/api/') && hosts.onTrackingDomain(req.headers, req.socket.remoteAddress))
      return sendError(reply, 404, 'not_found', 'no such route');
  };
}

export function registerTrackingDomains(app: FastifyInstance, ctx: CollectorContext): void {
  const { store, hosts } = ctx;
  const record = async (accountId: string) =>
    (await store.trackingDomains.list()).find((d) => d.accountId === accountId) ?? null;
  const current = async (accountId: string) => {
    const rec = await record(accountId);
    return { domain: rec ? describeDomain(rec, ctx.domainSetup()) : null };
  };
  async function caller(
    req: FastifyRequest,
    reply: FastifyReply,
    admin: boolean,
  ): Promise<UserRecord | null> {
    const user = await authenticate(ctx, req, reply);
    if (!user) return null;
    if (admin && user.role !== 'admin') {
      sendError(reply, 403, 'forbidden', 'only an admin may do this');
      return null;
    }
    return user;
  }

  app.get(domainApiSpec.getTrackingDomain.path, async (req, reply) => {
    const user = await caller(req, reply, false);
    if (!user) return reply;
    return reply.header('cache-control', 'no-store').send(await current(user.accountId));
  });

  app.put(domainApiSpec.putTrackingDomain.path, async (req, reply) => {
    const user = await caller(req, reply, true);
    if (!user) return reply;
    const body = SetTrackingDomainRequest.safeParse(req.body);
    if (!body.success)
      return sendError(reply, 400, 'invalid_request', describeZodError(body.error, req.body));
    const shared = [hostName(new URL(ctx.publicUrl()).host)].filter((h): h is string => h !== undefined);
    const r = await setTrackingDomain(store, user.accountId, body.data.host, shared);
    if (!r.ok) return sendError(reply, r.code === 'no_account' ? 404 : 409, r.code, r.message);
    await hosts.refresh();
    ctx.log.info(
      { accountId: user.accountId, userId: user.id, host: r.record.host, previous: r.previous },
      'tracking domain set',
    );
    // probed before the answer (at most the probe's timeout): the admin sees at once what is missing
    const after =
      r.record.state === 'verified' ? r.record : ((await ctx.domainVerifier.verify(r.record)) ?? r.record);
    return reply
      .header('cache-control', 'no-store')
      .send({ domain: describeDomain(after, ctx.domainSetup()) });
  });

  app.post(domainApiSpec.verifyTrackingDomain.path, async (req, reply) => {
    const user = await caller(req, reply, true);
    if (!user) return reply;
    const rec = await record(user.accountId);
    if (!rec) return sendError(reply, 404, 'no_domain', 'the account has no tracking domain');
    const after = (await ctx.domainVerifier.verify(rec)) ?? rec;
    return reply
      .header('cache-control', 'no-store')
      .send({ domain: describeDomain(after, ctx.domainSetup()) });
  });

  app.delete(domainApiSpec.deleteTrackingDomain.path, async (req, reply) => {
    const user = await caller(req, reply, true);
    if (!user) return reply;
    const removed = await store.trackingDomains.remove(user.accountId);
    await hosts.refresh();
    if (removed)
      ctx.log.info(
        { accountId: user.accountId, userId: user.id, host: removed.host },
        'tracking domain removed',
      );
    return reply.header('cache-control', 'no-store').send({ domain: null });
  });
}
