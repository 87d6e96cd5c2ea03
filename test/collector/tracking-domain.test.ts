import { request } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsResponse } from '../../src-shared/api';
import type { TrackingDomainResponse } from '../../src-shared/tracking-domain';
import { createAccount, createUser } from '../../src-collector/server';
import { startTestCollector, type TestCollector } from '../support/collector';
import { startDomainProbeRig, type DomainProbeRig } from '../support/domain-probe';
import { publishSample } from '../offers/helpers';
import { call, CHROME_UA, register } from './helpers';

/**
 * Issue 20: an account's own tracking domain. Real HTTP on loopback; the Host header (or a
 * trusted proxy's X-Forwarded-Host) names the host a prospect's browser asked for.
 */

const SHARED = 'collector.blitz.example';
const HOST_A = 't.muster-immobilien.de';
const HOST_B = 'links.other-makler.example';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** GET `path` of collector `base` with the given headers (fetch cannot set Host) */
function get(base: string, path: string, headers: Record<string, string>): Promise<Raw> {
  const u = new URL(base);
  return new Promise((res, rej) => {
    const r = request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method: 'GET',
        headers: { 'user-agent': CHROME_UA, ...headers },
      },
      (resp) => {
        const chunks: Buffer[] = [];
        resp.on('data', (c: Buffer) => chunks.push(c));
        resp.on('end', () =>
          res({ status: resp.statusCode ?? 0, headers: resp.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    r.on('error', rej);
    r.end();
  });
}

const path = (url: string): string => new URL(url).pathname;

async function events(c: { url: string }, token: string): Promise<EventsResponse['events']> {
  const r = await call<EventsResponse>(`${c.url}/api/v1/events?after=0&limit=1000`, { token });
  expect(r.status).toBe(200);
  return r.body.events;
}

/** pino writing into an array, to see the refusals' log lines */
function capturingLogger(lines: Record<string, unknown>[]) {
  return pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const l of chunk.toString().split('\n'))
          if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        cb();
      },
    }),
  );
}

describe.each([
  ['fast path', true],
  ['fastify only', false],
])('tracking domain per account (%s)', (_name, fastPath) => {
  let c: TestCollector;
  let b: { adminToken: string; agentToken: string };
  let rig: DomainProbeRig;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    // both hosts reach this collector through TLS, so setting them passes the probe
    rig = await startDomainProbeRig([HOST_A, HOST_B]);
    c = await startTestCollector({
      publicUrl: `https://${SHARED}`,
      fastPath,
      logger: capturingLogger(logs),
      domainProbe: rig.domainProbe,
    });
    rig.attach(c.url);
    const acc = await createAccount(c.collector.store, 'Andere Makler GmbH');
    const admin = await createUser(c.collector.store, {
      accountId: acc.id,
      email: 'admin@other.example',
      name: 'Otto Admin',
      role: 'admin',
    });
    const agent = await createUser(c.collector.store, {
      accountId: acc.id,
      email: 'agent@other.example',
      name: 'Olga Agent',
      role: 'agent',
    });
    b = { adminToken: admin.token, agentToken: agent.token };
  });
  afterAll(async () => {
    await c?.close();
    await rig?.close();
  });

  it('an admin sets it (zod-checked), is told the DNS/nginx/ACME steps; agents read it; one host per account', async () => {
    const none = await call<TrackingDomainResponse>(`${c.url}/api/v1/tracking-domain`, {
      token: c.agentToken,
    });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ domain: null });

    const put = (token: string, body: unknown) =>
      call<TrackingDomainResponse & { error?: { code: string } }>(`${c.url}/api/v1/tracking-domain`, {
        method: 'PUT',
        token,
        body,
      });
    expect((await put(c.agentToken, { host: HOST_A })).status).toBe(403);
    for (const bad of [
      'https://t.muster-immobilien.de',
      't.muster-immobilien.de:8443',
      '203.0.113.9',
      'localhost',
      'a..b.de',
      '*.muster.de',
    ]) {
      const r = await put(c.adminToken, { host: bad });
      expect(r.status, bad).toBe(400);
      expect(r.body.error?.code).toBe('invalid_request');
    }
    expect((await put(c.adminToken, { host: HOST_A, extra: 1 })).status).toBe(400);

    const ok = await put(c.adminToken, { host: ' T.Muster-Immobilien.DE. ' });
    expect(ok.status).toBe(200);
    const d = ok.body.domain!;
    expect(d.host).toBe(HOST_A);
    expect(d.baseUrl).toBe(`https://${HOST_A}`);
    // probed before the answer: it reached this collector, so it is live
    expect(d.state).toBe('verified');
    expect(d.setup.dns).toEqual({
      type: 'CNAME',
      name: HOST_A,
      value: `${SHARED}.`,
      record: `${HOST_A}. 3600 IN CNAME ${SHARED}.`,
    });
    expect(d.setup.nginx).toContain(`server_name ${HOST_A};`);
    expect(d.setup.nginx).toContain(`proxy_pass ${c.url}`);
    expect(d.setup.nginx).toContain('proxy_set_header Host $host;');
    expect(d.setup.nginx).toContain(`/etc/letsencrypt/live/${HOST_A}/fullchain.pem`);
    expect(d.setup.acme.certbotWebroot).toBe(
      `certbot certonly --webroot -w /var/www/acme -d ${HOST_A} --deploy-hook "systemctl reload nginx"`,
    );
    expect(d.setup.acme.acmeShWebroot).toContain(`acme.sh --issue -d ${HOST_A} -w /var/www/acme`);
    expect(d.setup.acme.certbotDns).toContain('--preferred-challenges dns');

    // the other account may not take it, nor the collector's shared address
    const taken = await put(b.adminToken, { host: HOST_A });
    expect(taken.status).toBe(409);
    expect(taken.body.error?.code).toBe('domain_taken');
    const shared = await put(b.adminToken, { host: SHARED });
    expect(shared.status).toBe(409);
    expect(shared.body.error?.code).toBe('shared_host');
    expect((await put(b.adminToken, { host: HOST_B })).status).toBe(200);

    const seen = await call<TrackingDomainResponse>(`${c.url}/api/v1/tracking-domain`, {
      token: c.agentToken,
    });
    expect(seen.body.domain?.host).toBe(HOST_A);
  });

  it("registrations and offers hand out URLs on the account's own domain", async () => {
    const a = await register(c, c.agentToken);
    expect(a.trackers[0]!.pixelUrl).toMatch(new RegExp(`^https://${HOST_A.replace(/\./g, '\\.')}/o/`));
    expect(a.trackers[0]!.links[0]!.trackedUrl).toMatch(
      new RegExp(`^https://${HOST_A.replace(/\./g, '\\.')}/c/`),
    );
    const off = await publishSample(c, c.agentToken, 'https://makler.example');
    for (const url of off.landing.values())
      expect(url).toMatch(new RegExp(`^https://${HOST_A.replace(/\./g, '\\.')}/l/`));
  });

  it("another account's token on a tracking domain: GIF but no record, no redirect, landing 404; its own and the shared host work", async () => {
    const mine = await register(c, c.agentToken, { recipients: [{ email: 'anna@kunde.example' }] });
    const theirs = await register(c, b.agentToken, { recipients: [{ email: 'bob@kunde.example' }] });
    const myPixel = path(mine.trackers[0]!.pixelUrl);
    const theirPixel = path(theirs.trackers[0]!.pixelUrl);
    const theirClick = path(theirs.trackers[0]!.links[0]!.trackedUrl);
    const myClick = path(mine.trackers[0]!.links[0]!.trackedUrl);
    const bEventsBefore = (await events(c, b.adminToken)).length;
    const aEventsBefore = (await events(c, c.adminToken)).length;

    // B's pixel on A's host, also spelled with a port and in capitals: the GIF, nothing stored
    for (const host of [HOST_A, `T.MUSTER-immobilien.de:443`, `${HOST_A}.`]) {
      const r = await get(c.url, theirPixel, { host });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('image/gif');
      expect(r.body.length).toBe(43);
    }
    // B's click on A's host: the unknown-link page, never the registered target
    const click = await get(c.url, theirClick, { host: HOST_A });
    expect(click.status).toBe(404);
    expect(click.headers.location).toBeUndefined();
    expect(click.body.toString()).toContain('Link nicht gefunden');
    expect((await events(c, b.adminToken)).length).toBe(bEventsBefore);
    const warn = logs.find(
      (l) => l.msg === "another account's token on a tracking domain: not recorded, not served",
    );
    expect(warn).toMatchObject({ level: 40, host: HOST_A, route: 'pixel' });

    // A's own tokens on A's host, B's on B's own and on the shared host: recorded, redirected
    expect((await get(c.url, myPixel, { host: HOST_A })).status).toBe(200);
    const mine302 = await get(c.url, myClick, { host: HOST_A });
    expect(mine302.status).toBe(302);
    expect(mine302.headers.location).toBe('https://makler.example/expose/1');
    expect((await get(c.url, theirPixel, { host: HOST_B })).status).toBe(200);
    expect((await get(c.url, theirPixel, { host: SHARED })).status).toBe(200);
    // a host nobody configured (an old link, an IP) takes every account's tokens
    expect((await get(c.url, theirPixel, { host: '127.0.0.1' })).status).toBe(200);
    const theirs302 = await get(c.url, theirClick, { host: SHARED });
    expect(theirs302.status).toBe(302);

    const bAfter = (await events(c, b.adminToken)).slice(bEventsBefore);
    expect(bAfter.map((e) => e.type).sort()).toEqual([
      'email.link_clicked',
      'email.opened',
      'email.opened',
      'email.opened',
    ]);
    const aAfter = (await events(c, c.adminToken)).slice(aEventsBefore);
    expect(aAfter.map((e) => e.type).sort()).toEqual(['email.link_clicked', 'email.opened']);
  });

  it('the API is not served on a tracking domain (404 with or without a token), on the shared host it is', async () => {
    const variants: Record<string, string>[] = [
      { host: HOST_A },
      { host: HOST_A, authorization: `Bearer ${c.adminToken}` },
    ];
    for (const headers of variants) {
      const r = await get(c.url, '/api/v1/me', headers);
      expect(r.status).toBe(404);
      expect(JSON.parse(r.body.toString())).toEqual({
        error: { code: 'not_found', message: 'no such route' },
      });
    }
    const shared = await get(c.url, '/api/v1/me', { host: SHARED, authorization: `Bearer ${c.adminToken}` });
    expect(shared.status).toBe(200);
  });

  it("another account's landing page on a tracking domain is a 404; on its own host it opens", async () => {
    const theirs = await publishSample(c, b.agentToken, 'https://other.example');
    const landing = path([...theirs.landing.values()][0]!);
    const foreign = await get(c.url, landing, { host: HOST_A });
    expect(foreign.status).toBe(404);
    expect(foreign.body.toString()).toContain('Seite nicht gefunden');
    const files = await get(c.url, `${landing}/expose`, { host: HOST_A });
    expect(files.status).toBe(404);
    const own = await get(c.url, landing, { host: HOST_B });
    expect(own.status).toBe(200);
    expect(own.body.toString()).toContain('<html');
  });

  it('removing the domain: new links use the shared address; the old host now takes any token', async () => {
    const r = await call<TrackingDomainResponse>(`${c.url}/api/v1/tracking-domain`, {
      method: 'DELETE',
      token: c.adminToken,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ domain: null });
    const a = await register(c, c.agentToken);
    expect(a.trackers[0]!.pixelUrl.startsWith(`https://${SHARED}/o/`)).toBe(true);
    // HOST_A is free again: B may take it now
    const took = await call(`${c.url}/api/v1/tracking-domain`, {
      method: 'PUT',
      token: b.adminToken,
      body: { host: HOST_A },
    });
    expect(took.status).toBe(200);
  });
});

describe('the host behind a proxy: X-Forwarded-Host only when BLITZ_TRUST_FORWARDED_HOST and from a trusted proxy', () => {
  const cases = [
    {
      name: 'trusted proxy, forwarded host on',
      trustProxy: '127.0.0.1',
      trustForwardedHost: true,
      believed: true,
    },
    {
      name: 'trusted proxy, forwarded host off',
      trustProxy: '127.0.0.1',
      trustForwardedHost: false,
      believed: false,
    },
    {
      name: 'untrusted peer, forwarded host on',
      trustProxy: '10.9.9.9',
      trustForwardedHost: true,
      believed: false,
    },
  ] as const;
  it.each(cases)('$name', async ({ trustProxy, trustForwardedHost, believed }) => {
    const rig = await startDomainProbeRig([HOST_A]);
    const c = await startTestCollector({
      publicUrl: `https://${SHARED}`,
      trustProxy,
      trustForwardedHost,
      domainProbe: rig.domainProbe,
    });
    rig.attach(c.url);
    try {
      const acc = await createAccount(c.collector.store, 'Andere');
      const other = await createUser(c.collector.store, {
        accountId: acc.id,
        email: 'o@x.example',
        name: 'O',
        role: 'admin',
      });
      const set = await call(`${c.url}/api/v1/tracking-domain`, {
        method: 'PUT',
        token: c.adminToken,
        body: { host: HOST_A },
      });
      expect(set.status).toBe(200);
      const theirs = await register(c, other.token);
      // the proxy connects with the shared Host and names the prospect's host in X-Forwarded-Host
      const r = await get(c.url, path(theirs.trackers[0]!.links[0]!.trackedUrl), {
        host: SHARED,
        'x-forwarded-host': `${HOST_A}, proxy.internal`,
        'x-forwarded-for': '198.51.100.7',
      });
      expect(r.status).toBe(believed ? 404 : 302);
      // and the other way round: Host names A, X-Forwarded-Host the shared one
      const r2 = await get(c.url, path(theirs.trackers[0]!.links[0]!.trackedUrl), {
        host: HOST_A,
        'x-forwarded-host': SHARED,
      });
      expect(r2.status).toBe(believed ? 302 : 404);
    } finally {
      await c.close();
      await rig.close();
    }
  });
});
