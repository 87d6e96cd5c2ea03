import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackingDomain, TrackingDomainResponse } from '../../src-shared/tracking-domain';
import { isNonPublicAddress, probeDomain } from '../../src-collector/domains/probe';
import { startTestCollector, type TestCollector } from '../support/collector';
import { createTestCa, type IssuedCert, type TestCa } from '../support/test-ca';
import { mapResolver, startTlsFront, type TlsFront } from '../support/tls-front';
import { call, register } from './helpers';

/**
 * Issue 20: a tracking domain goes live only once the collector has reached ITSELF through it.
 * Real TLS on loopback (a node https front standing where nginx stands, certificates from a CA
 * made in the test and trusted through the probe's `ca` option), the name mapped to 127.0.0.1
 * by an injected resolver, and the collector's real /healthz behind it.
 */
const SHARED = 'collector.blitz.example';
const HOST = 't.muster-immobilien.de';
const escape = (h: string) => h.replace(/\./g, '\\.');

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

describe('tracking domain probe: DNS, TLS and this collector’s /healthz before it goes live', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blitz-domain-probe-'));
  const zone = new Map<string, string>();
  const logs: Record<string, unknown>[] = [];
  let ca: TestCa;
  let good: IssuedCert;
  let otherName: IssuedCert;
  let expired: IssuedCert;
  let front: TlsFront;
  let c: TestCollector;
  let stranger: TestCollector;

  beforeAll(async () => {
    ca = await createTestCa(dir);
    [good, otherName, expired] = await Promise.all([
      ca.issue([HOST]),
      ca.issue(['www.other-makler.example']),
      ca.issue([HOST], { expired: true }),
    ]);
    front = await startTlsFront(good, 'http://127.0.0.1:1');
    c = await startTestCollector({
      publicUrl: `https://${SHARED}`,
      domainTarget: '127.0.0.1',
      logger: capturingLogger(logs),
      domainProbe: {
        periodic: false,
        probe: { lookup: mapResolver(zone), allowPrivate: true, ca: ca.cert, port: front.port, timeoutMs: 5_000 },
      },
    });
    front.setUpstream(c.url);
    // another Blitz collector, its own store: it runs the same code but is not this deployment
    stranger = await startTestCollector({
      publicUrl: 'https://stranger.example',
      domainProbe: { periodic: false },
    });
  }, 60_000);
  afterAll(async () => {
    await front?.close();
    await c?.close();
    await stranger?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (host: string) =>
    call<TrackingDomainResponse>(`${c.url}/api/v1/tracking-domain`, {
      method: 'PUT',
      token: c.adminToken,
      body: { host },
    });
  const verify = () =>
    call<TrackingDomainResponse>(`${c.url}/api/v1/tracking-domain/verify`, {
      method: 'POST',
      token: c.adminToken,
    });
  const pixelHost = async () => new URL((await register(c, c.agentToken)).trackers[0]!.pixelUrl).host;
  const failure = (d: TrackingDomain | null | undefined) => ({
    state: d?.state,
    ok: d?.lastCheck?.ok,
    code: d?.lastCheck?.code,
  });

  it('a name that does not resolve: failed (dns_not_found), new links keep the shared host', async () => {
    const r = await put(HOST);
    expect(r.status).toBe(200);
    expect(failure(r.body.domain)).toEqual({ state: 'failed', ok: false, code: 'dns_not_found' });
    expect(r.body.domain!.lastCheck!.detail).toContain('ENOTFOUND');
    expect(r.body.domain!.nextCheckAt).not.toBeNull();
    expect(await pixelHost()).toBe(SHARED);
    const warn = logs.find(
      (l) => l.msg === 'tracking domain probe failed: stays pending, new links keep the shared host',
    );
    expect(warn).toMatchObject({ level: 40, host: HOST, code: 'dns_not_found' });
  });

  it('a certificate for another name: tls_wrong_name', async () => {
    zone.set(HOST, '127.0.0.1');
    front.setCert(otherName);
    const r = await verify();
    expect(r.status).toBe(200);
    expect(failure(r.body.domain)).toEqual({ state: 'failed', ok: false, code: 'tls_wrong_name' });
    expect(r.body.domain!.lastCheck!.detail).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(await pixelHost()).toBe(SHARED);
  });

  it('an expired certificate: tls_expired', async () => {
    front.setCert(expired);
    const r = await verify();
    expect(failure(r.body.domain)).toEqual({ state: 'failed', ok: false, code: 'tls_expired' });
    expect(r.body.domain!.lastCheck!.detail).toContain('CERT_HAS_EXPIRED');
    expect(await pixelHost()).toBe(SHARED);
  });

  it('a different server on the name — a plain one, and another Blitz collector — is not this collector', async () => {
    front.setCert(good);
    front.setUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    let r = await verify();
    expect(failure(r.body.domain)).toEqual({ state: 'failed', ok: false, code: 'not_this_collector' });
    expect(r.body.domain!.lastCheck!.detail).toContain('without a probe answer');

    // same code, its own store and secret: it answers the nonce, but not with this deployment's answer
    front.setUpstream(stranger.url);
    r = await verify();
    expect(failure(r.body.domain)).toEqual({ state: 'failed', ok: false, code: 'not_this_collector' });
    expect(r.body.domain!.lastCheck!.detail).toContain('not this collector');
    // a server echoing the nonce back cannot pass either
    front.setUpstream((req, res) => {
      const nonce = new URL(req.url ?? '/', 'https://x').searchParams.get('probe');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', probe: nonce }));
    });
    expect(failure((await verify()).body.domain).code).toBe('not_this_collector');
    expect(await pixelHost()).toBe(SHARED);
  });

  it('resolving elsewhere with nobody answering: dns_wrong_target (not pointing at this server)', async () => {
    zone.set(HOST, '127.0.0.2'); // the front listens on 127.0.0.1 only
    const r = await verify();
    expect(failure(r.body.domain)).toEqual({ state: 'failed', ok: false, code: 'dns_wrong_target' });
    expect(r.body.domain!.lastCheck!.detail).toContain('resolves to 127.0.0.2, not to 127.0.0.1');
  });

  it('DNS, certificate and this collector behind the name: verified, and only now new links use it', async () => {
    zone.set(HOST, '127.0.0.1');
    front.setUpstream(c.url);
    const r = await verify();
    expect(r.status).toBe(200);
    const d = r.body.domain!;
    expect(d.state).toBe('verified');
    expect(d.lastCheck).toMatchObject({ ok: true, code: null, detail: null });
    expect(d.verifiedAt).toBe(d.lastCheck!.at);
    expect(await pixelHost()).toBe(HOST);
    expect(logs.find((l) => l.msg === 'tracking domain verified: new links use it now')).toMatchObject({
      host: HOST,
    });
    // an agent sees the state too
    const seen = await call<TrackingDomainResponse>(`${c.url}/api/v1/tracking-domain`, {
      token: c.agentToken,
    });
    expect(seen.body.domain?.state).toBe('verified');
    // only an admin may make the collector probe
    expect(
      (await call(`${c.url}/api/v1/tracking-domain/verify`, { method: 'POST', token: c.agentToken })).status,
    ).toBe(403);
  });

  it('a live domain that fails later stays live (links in sent mail point there) and is reported loudly', async () => {
    front.setCert(expired);
    const r = await verify();
    const d = r.body.domain!;
    expect(d.state).toBe('verified');
    expect(d.lastCheck).toMatchObject({ ok: false, code: 'tls_expired' });
    expect(await pixelHost()).toBe(HOST);
    expect(
      logs.find((l) => String(l.msg).startsWith('live tracking domain does not reach this collector')),
    ).toMatchObject({ level: 50, host: HOST, code: 'tls_expired' });
    // repaired: the warning clears
    front.setCert(good);
    const again = await verify();
    expect(again.body.domain).toMatchObject({ state: 'verified', lastCheck: { ok: true } });
  });

  it('/healthz answers a nonce only with the HMAC bound to the host asked for; untrusted CA fails', async () => {
    const nonce = 'abcdefghijklmnop0123456789';
    const ask = async (host: string) => {
      const { request } = await import('node:http');
      return new Promise<Record<string, unknown>>((res, rej) => {
        const u = new URL(c.url);
        const q = request(
          { host: u.hostname, port: u.port, path: `/healthz?probe=${nonce}`, headers: { host } },
          (resp) => {
            let b = '';
            resp.on('data', (d: Buffer) => (b += d.toString()));
            resp.on('end', () => res(JSON.parse(b) as Record<string, unknown>));
          },
        );
        q.on('error', rej);
        q.end();
      });
    };
    const a = await ask(HOST);
    const b = await ask('t.other.example');
    expect(a.status).toBe('ok');
    expect(typeof a.probe).toBe('string');
    expect(a.probe).not.toBe(b.probe);
    expect(a.probe).not.toContain(nonce);
    expect(await (await fetch(`${c.url}/healthz`)).json()).toEqual({ status: 'ok' });

    // the system's CAs do not know the test CA: the probe does not trust the certificate
    const r = await probeDomain(HOST, 'secret', {
      lookup: mapResolver(zone),
      allowPrivate: true,
      port: front.port,
      timeoutMs: 5_000,
    });
    expect(r).toMatchObject({ ok: false, code: 'tls_untrusted' });
  });
});

describe('pending domains are probed periodically with backoff and go live by themselves', () => {
  it(
    'fails first (no DNS yet), passes once the record and certificate exist',
    { timeout: 60_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'blitz-domain-probe2-'));
      const zone = new Map<string, string>();
      const ca = await createTestCa(dir);
      const cert = await ca.issue([HOST]);
      const front = await startTlsFront(cert, 'http://127.0.0.1:1');
      const c = await startTestCollector({
        publicUrl: `https://${SHARED}`,
        domainProbe: {
          tickMs: 100,
          retryBaseMs: 200,
          retryMaxMs: 400,
          probe: { lookup: mapResolver(zone), allowPrivate: true, ca: ca.cert, port: front.port, timeoutMs: 5_000 },
        },
      });
      try {
        front.setUpstream(c.url);
        const r = await call<TrackingDomainResponse>(`${c.url}/api/v1/tracking-domain`, {
          method: 'PUT',
          token: c.adminToken,
          body: { host: HOST },
        });
        expect(r.body.domain?.state).toBe('failed');
        // the timer retries: failures grow while DNS is missing
        const rows = () => c.collector.store.trackingDomains.list();
        for (let i = 0; i < 200 && ((await rows())[0]?.failures ?? 0) < 3; i++)
          await new Promise((s) => setTimeout(s, 100));
        const failing = (await rows())[0]!;
        expect(failing.failures).toBeGreaterThanOrEqual(3);
        expect(failing.state).toBe('failed');
        zone.set(HOST, '127.0.0.1');
        for (let i = 0; i < 200 && (await rows())[0]?.state !== 'verified'; i++)
          await new Promise((s) => setTimeout(s, 100));
        const live = (await rows())[0]!;
        expect(live).toMatchObject({ state: 'verified', failures: 0, lastCheck: { ok: true } });
        // the next periodic probe of a live domain is hours away, not the retry interval
        expect(Date.parse(live.nextCheckAt!) - Date.now()).toBeGreaterThan(3600_000);
        // the host map follows without a restart
        for (let i = 0; i < 50; i++) {
          const u = new URL((await register(c, c.agentToken)).trackers[0]!.pixelUrl);
          if (u.host === HOST) break;
          await new Promise((s) => setTimeout(s, 100));
        }
        expect((await register(c, c.agentToken)).trackers[0]!.pixelUrl).toMatch(
          new RegExp(`^https://${escape(HOST)}/o/`),
        );
      } finally {
        await front.close();
        await c.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('the probe does not knock on internal addresses', () => {
  it('a name resolving to loopback or a private network fails (private_address) without a connection', async () => {
    let connections = 0;
    const server = createServer((sock) => {
      connections++;
      sock.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      for (const address of ['127.0.0.1', '10.1.2.3', '192.168.178.20', '169.254.169.254']) {
        const r = await probeDomain(HOST, 'secret', {
          lookup: mapResolver(new Map([[HOST, address]])),
          port,
          timeoutMs: 2_000,
        });
        expect(r).toMatchObject({ ok: false, code: 'private_address', addresses: [address] });
        expect(r.detail).toContain('BLITZ_DOMAIN_PROBE_PRIVATE=1');
      }
      expect(connections).toBe(0);
      // the operator's switch for a collector on a private network: the probe connects
      const allowed = await probeDomain(HOST, 'secret', {
        lookup: mapResolver(new Map([[HOST, '127.0.0.1']])),
        allowPrivate: true,
        port,
        timeoutMs: 2_000,
      });
      expect(allowed.ok).toBe(false);
      expect(allowed.code).not.toBe('private_address');
      expect(connections).toBe(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('tells public from internal addresses, IPv4, IPv6 and IPv4-mapped', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.20.1.1', '192.168.0.1', '100.64.0.1', '169.254.1.1', '0.0.0.0', '::1', '::', 'fd12::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1'])
      expect(isNonPublicAddress(a), a).toBe(true);
    for (const a of ['93.184.216.34', '172.32.0.1', '8.8.8.8', '2a00:1450:4001:80b::200e', '::ffff:93.184.216.34'])
      expect(isNonPublicAddress(a), a).toBe(false);
  });
});
