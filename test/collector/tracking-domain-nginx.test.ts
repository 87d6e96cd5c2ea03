import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsResponse } from '../../src-shared/api';
import type { TrackingDomain, TrackingDomainResponse } from '../../src-shared/tracking-domain';
import { createAccount, createUser } from '../../src-collector/server';
import { freePort } from '../support/mail-servers';
import { NGINX, startNginx, testNginxConfig } from '../support/nginx';
import { createTestCa, type TestCa } from '../support/test-ca';
import { mapResolver } from '../support/tls-front';
import { startTestCollector, type TestCollector } from '../support/collector';
import { call, CHROME_UA, register } from './helpers';

/**
 * The nginx server block the API hands the admin, run by the real nginx in front of a collector:
 * only its ports and the certificate's paths swapped for the test's (a self-signed certificate,
 * the ACME client's job in production). TLS with SNI for the tracking host, the Host header
 * passed on, and the collector mapping it to the account.
 */
const HOST = 't.muster-immobilien.de';

describe.skipIf(!NGINX)('the tracking domain behind the nginx block the admin is given', () => {
  let c: TestCollector;
  let other: string;
  let nginx: ChildProcess | null = null;
  let dir = '';
  let httpsPort = 0;
  let httpPort = 0;
  let snippet = '';
  let setAnswer: TrackingDomain | null = null;

  let ca: TestCa;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-domain-nginx-'));
    chmodSync(dir, 0o755);
    // the certificate the ACME client would fetch, here from the test's own CA, which the
    // collector's probe is told to trust; the name reaches 127.0.0.1 through the probe's resolver
    ca = await createTestCa(join(dir, 'ca'));
    httpPort = await freePort();
    httpsPort = await freePort();
    c = await startTestCollector({
      publicUrl: 'https://collector.blitz.example',
      trustProxy: '127.0.0.1',
      domainTarget: '127.0.0.1',
      domainProbe: {
        periodic: false,
        probe: {
          lookup: mapResolver(new Map([[HOST, '127.0.0.1']])),
          allowPrivate: true,
          ca: ca.cert,
          port: httpsPort,
          timeoutMs: 10_000,
        },
      },
    });
    const acc = await createAccount(c.collector.store, 'Andere Makler GmbH');
    other = (
      await createUser(c.collector.store, {
        accountId: acc.id,
        email: 'o@x.example',
        name: 'O',
        role: 'agent',
      })
    ).token;
    const set = await call<TrackingDomainResponse>(`${c.url}/api/v1/tracking-domain`, {
      method: 'PUT',
      token: c.adminToken,
      body: { host: HOST },
    });
    expect(set.status).toBe(200);
    snippet = set.body.domain!.setup.nginx;
    // nothing listens on the name yet: the probe failed, the domain waits
    setAnswer = set.body.domain!;

    mkdirSync(join(dir, 'acme', '.well-known', 'acme-challenge'), { recursive: true });
    writeFileSync(join(dir, 'acme', '.well-known', 'acme-challenge', 'probe'), 'acme-ok');
    const tls = await ca.issue([HOST]);
    const server = snippet
      .replace(/listen 80;/, `listen 127.0.0.1:${httpPort};`)
      .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${httpsPort} ssl;`)
      .replace(/^\s*listen \[::\]:\d+[^\n]*\n/gm, '')
      .replace(`/etc/letsencrypt/live/${HOST}/fullchain.pem`, tls.certPath)
      .replace(`/etc/letsencrypt/live/${HOST}/privkey.pem`, tls.keyPath)
      .replace(/root \/var\/www\/acme;/, `root ${join(dir, 'acme')};`);
    // nginx -t must accept the block as handed out (startNginx throws with nginx's words if not)
    nginx = startNginx(dir, testNginxConfig(dir, server, { workerConnections: 256, accessLogOff: true }));
    for (let i = 0; i < 100; i++) {
      if ((await get('/healthz').catch(() => null))?.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await c?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** what a prospect's browser sends to https://HOST/path (SNI and Host both the tracking host) */
  function get(path: string): Promise<{ status: number; location?: string; body: string }> {
    return new Promise((res, rej) => {
      const r = request(
        {
          host: '127.0.0.1',
          port: httpsPort,
          path,
          servername: HOST,
          ca: ca.cert,
          headers: { host: HOST, 'user-agent': CHROME_UA },
        },
        (resp) => {
          let body = '';
          resp.on('data', (d: Buffer) => (body += d.toString()));
          resp.on('end', () => res({ status: resp.statusCode ?? 0, location: resp.headers.location, body }));
        },
      );
      r.on('error', rej);
      r.end();
    });
  }

  it('before nginx answered on the name the domain was not live; through the block the probe passes', async () => {
    expect(setAnswer).toMatchObject({ state: 'failed', lastCheck: { ok: false, code: 'unreachable' } });
    expect(setAnswer!.lastCheck!.detail).toContain('ECONNREFUSED');
    // meanwhile new links used the collector's own address
    const before = await register(c, c.agentToken);
    expect(new URL(before.trackers[0]!.pixelUrl).host).toBe('collector.blitz.example');
    // nginx runs the block now: DNS (the resolver), the CA's certificate for the name, and this
    // collector's /healthz behind nginx with the Host header passed on
    const v = await call<TrackingDomainResponse>(`${c.url}/api/v1/tracking-domain/verify`, {
      method: 'POST',
      token: c.adminToken,
    });
    expect(v.status).toBe(200);
    expect(v.body.domain).toMatchObject({ state: 'verified', lastCheck: { ok: true } });
  });

  it('nginx -t accepts the block; the account’s pixel and link work through it, another account’s token does not', async () => {
    expect(snippet).toContain('proxy_set_header Host $host;');
    const mine = await register(c, c.agentToken);
    const theirs = await register(c, other, { recipients: [{ email: 'bob@kunde.example' }] });
    const path = (u: string) => new URL(u).pathname;
    expect(new URL(mine.trackers[0]!.pixelUrl).host).toBe(HOST);

    expect((await get(path(mine.trackers[0]!.pixelUrl))).status).toBe(200);
    const click = await get(path(mine.trackers[0]!.links[0]!.trackedUrl));
    expect(click.status).toBe(302);
    expect(click.location).toBe('https://makler.example/expose/1');

    expect((await get(path(theirs.trackers[0]!.pixelUrl))).status).toBe(200);
    const foreign = await get(path(theirs.trackers[0]!.links[0]!.trackedUrl));
    expect(foreign.status).toBe(404);
    expect(foreign.location).toBeUndefined();
    expect((await get('/api/v1/me')).status).toBe(404);

    const mineEvents = await call<EventsResponse>(`${c.url}/api/v1/events?after=0`, { token: c.adminToken });
    expect(mineEvents.body.events.map((e) => e.type).sort()).toEqual(['email.link_clicked', 'email.opened']);
    const theirEvents = await call<EventsResponse>(`${c.url}/api/v1/events?after=0`, { token: other });
    expect(theirEvents.body.events).toEqual([]);
    // port 80: the ACME client's HTTP-01 files from the webroot, everything else to https
    const acme = await fetch(`http://127.0.0.1:${httpPort}/.well-known/acme-challenge/probe`);
    expect(await acme.text()).toBe('acme-ok');
    const plain = await new Promise<{ status: number; location?: string }>((res, rej) => {
      const r = httpRequest(
        { host: '127.0.0.1', port: httpPort, path: '/o/x.gif', headers: { host: HOST } },
        (resp) => {
          resp.resume();
          res({ status: resp.statusCode ?? 0, location: resp.headers.location });
        },
      );
      r.on('error', rej);
      r.end();
    });
    expect(plain).toEqual({ status: 301, location: `https://${HOST}/o/x.gif` });
    // the error log of nginx: nothing went wrong on its side
    expect(readFileSync(join(dir, 'error.log'), 'utf8')).not.toMatch(/\[(error|crit|emerg)\]/);
  });
});
