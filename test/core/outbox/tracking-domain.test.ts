import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../src-main/core/cache';
import { createCollectorClient } from '../../../src-main/core/collector/client';
import {
  cachedTrackingDomain,
  createTrackingDomainSync,
  trackingBase,
} from '../../../src-main/core/tracking-domain';
import { startDomainProbeRig, type DomainProbeRig } from '../../support/domain-probe';
import { readMailbox } from '../../support/mail-servers';
import { quietLog, startTestCore, tempDir, waitFor, type TestCore } from '../helpers';
import { filed, useOutboxServers } from './stack';

/**
 * Issue 20 on the desktop: an admin sets the account's tracking domain in the settings, every
 * desktop of the account has it, and a tracked mail sent through the real outbox (smtp-server,
 * Dovecot for Sent, the real collector) carries pixel and links on that domain; a prospect's
 * open on that host reaches the agent's feed. Removed, links fall back to the collector's address.
 */
const HOST = 't.muster-immobilien.de';
const HOST2 = 'links.muster-immobilien.de';
// both names reach the collector through TLS (test CA, loopback front) once the zone has them
let rig: DomainProbeRig;
beforeAll(async () => {
  rig = await startDomainProbeRig([HOST, HOST2]);
});
afterAll(async () => rig?.close());
const servers = useOutboxServers({ domainRig: () => rig });

async function adminCore(): Promise<TestCore> {
  const t = await startTestCore({ mailOptions: { connectTimeoutMs: 2000, allowSelfSigned: true } });
  expect((await t.core.dispatch('settings.saveMailAccount', servers.account())).ok).toBe(true);
  const r = await t.core.dispatch('settings.saveCollector', {
    url: servers.col.url,
    token: servers.col.adminToken,
  });
  expect(r.ok).toBe(true);
  return t;
}

async function send(t: TestCore, subject: string): Promise<string> {
  const r = await t.core.dispatch('compose.send', {
    to: ['anna@kunde.example'],
    cc: [],
    bcc: [],
    subject,
    html: '<p>Ihr Exposé: <a href="https://makler.example/expose/7">ansehen</a></p>',
    track: true,
    sendIndividually: true,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  await filed(t, r.value.activityId);
  return r.value.activityId;
}

/** a prospect's mail client fetching `url` on the collector, with the Host its URL names */
function openAsProspect(url: string): Promise<number> {
  const u = new URL(url);
  const c = new URL(servers.col.url);
  return new Promise((res, rej) => {
    const req = request(
      {
        host: c.hostname,
        port: c.port,
        path: u.pathname,
        headers: {
          host: u.host,
          'user-agent':
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
        },
      },
      (r) => {
        r.resume();
        r.on('end', () => res(r.statusCode ?? 0));
      },
    );
    req.on('error', rej);
    req.end();
  });
}

describe('tracking domain on the desktop', () => {
  it('admin sets it; a second desktop has it; its mail uses https://HOST; an open there reaches the feed; removed, links use the collector', async () => {
    const admin = await adminCore();
    let agent: TestCore | null = null;
    try {
      // zod-checked before anything goes out
      const bad = await admin.core.dispatch('trackingDomain.set', {
        host: 'https://t.muster-immobilien.de/x',
      });
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error.message.key).toBe('trackingDomainInvalid');

      // the DNS record does not exist yet: stored, probed, failed — not in use
      rig.zone.delete(HOST);
      const set = await admin.core.dispatch('trackingDomain.set', { host: 'T.Muster-Immobilien.de' });
      if (!set.ok) throw new Error(JSON.stringify(set.error));
      expect(set.value.trackingDomain?.host).toBe(HOST);
      expect(set.value.trackingDomain?.state).toBe('failed');
      expect(set.value.trackingDomain?.lastCheck).toMatchObject({ ok: false, code: 'dns_not_found' });
      expect(set.value.trackingDomain?.setup.dns.type).toBe('A');
      expect(set.value.trackingDomain?.setup.dns.value).toBe('127.0.0.1');
      expect(set.value.trackingDomain?.setup.nginx).toContain(`server_name ${HOST};`);

      // the agent's desktop (another computer of the account) reads it when it connects
      agent = await servers.core();
      const seen = await agent.core.dispatch('settings.get', {});
      expect(seen.ok && seen.value.trackingDomain?.state).toBe('failed');
      // an agent may not change it, nor make the collector probe it
      const refused = await agent.core.dispatch('trackingDomain.remove', {});
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.message.key).toBe('onlyAdminAccountSetting');
      const refusedVerify = await agent.core.dispatch('trackingDomain.verify', {});
      expect(refusedVerify.ok).toBe(false);

      // a mail sent while the domain is not verified keeps the collector's address
      const id0 = await send(agent, 'Exposé Lindenweg 5');
      const html0 = servers.mailsOf(id0)[0]!.html;
      expect(html0).toContain(`${servers.col.url}/o/`);
      expect(html0).not.toContain(HOST);

      // the record exists now; the admin has it checked: verified, and from now on it is used
      rig.zone.set(HOST, '127.0.0.1');
      const verified = await admin.core.dispatch('trackingDomain.verify', {});
      if (!verified.ok) throw new Error(JSON.stringify(verified.error));
      expect(verified.value.trackingDomain).toMatchObject({ state: 'verified', lastCheck: { ok: true } });
      const seenNow = await agent.core.dispatch('trackingDomain.refresh', {});
      expect(seenNow.ok && seenNow.value.trackingDomain?.baseUrl).toBe(`https://${HOST}`);

      const id = await send(agent, 'Exposé Lindenweg 7');
      const [mail] = servers.mailsOf(id);
      expect(mail).toBeDefined();
      const pixel = /<img src="([^"]+\/o\/[^"]+\.gif)"/.exec(mail!.html)?.[1];
      expect(pixel).toMatch(new RegExp(`^https://${HOST.replace(/\./g, '\\.')}/o/[A-Za-z0-9_-]+\\.gif$`));
      const link = /href="([^"]+\/c\/[^"]+)"/.exec(mail!.html)?.[1];
      expect(link).toMatch(new RegExp(`^https://${HOST.replace(/\./g, '\\.')}/c/[A-Za-z0-9_-]+/0$`));
      // the copy in Sent: clean, no tracking host at all
      const sentCopy = (await readMailbox(servers.imap, 'Sent'))
        .map((m) => m.raw.toString('utf8'))
        .find((raw) => raw.includes(id));
      expect(sentCopy).toBeDefined();
      expect(sentCopy).not.toContain(HOST);

      // the prospect opens it on the account's own host: the agent sees it
      expect(await openAsProspect(pixel!)).toBe(200);
      await waitFor(
        async () => {
          const f = await agent!.core.dispatch('feed.get', { activityId: id });
          return f.ok && f.value.items.some((i) => i.type === 'email.opened') ? true : null;
        },
        'the open in the feed',
        20_000,
      );

      // removed: the next mail falls back to the collector's own address
      const removed = await admin.core.dispatch('trackingDomain.remove', {});
      expect(removed.ok && removed.value.trackingDomain).toBe(null);
      const id2 = await send(agent, 'Exposé Lindenweg 9');
      const html2 = servers.mailsOf(id2)[0]!.html;
      expect(html2).toContain(`${servers.col.url}/o/`);
      expect(html2).not.toContain(HOST);
      // and the agent's desktop learns it on its next read
      const again = await agent.core.dispatch('trackingDomain.refresh', {});
      expect(again.ok && again.value.trackingDomain).toBe(null);
    } finally {
      await agent?.close();
      await admin.close();
    }
  });

  it('reads the domain again after pulls at most once a minute, and tells when it changed', async () => {
    let now = 0;
    const cache = openCache(join(tempDir(), 'cache.sqlite'));
    const client = createCollectorClient({ baseUrl: servers.col.url, token: servers.col.agentToken });
    const adminClient = createCollectorClient({ baseUrl: servers.col.url, token: servers.col.adminToken });
    let changed = 0;
    const sync = createTrackingDomainSync({
      cache,
      collector: () => client,
      log: quietLog,
      onChanged: () => changed++,
      now: () => now,
    });
    try {
      await sync.poll();
      expect(changed).toBe(0);
      expect(trackingBase(cache)).toBe(null);
      const put = await adminClient.putTrackingDomain(HOST2);
      expect(put.ok && put.value.domain?.state).toBe('verified');
      now = 30_000;
      await sync.poll();
      expect(changed).toBe(0);
      now = 61_000;
      await sync.poll();
      expect(changed).toBe(1);
      expect(cachedTrackingDomain(cache)?.host).toBe(HOST2);
      expect(trackingBase(cache)).toBe(`https://${HOST2}`);
      await sync.poll(true);
      expect(changed).toBe(1);
      expect((await adminClient.deleteTrackingDomain()).ok).toBe(true);
      await sync.poll(true);
      expect(changed).toBe(2);
      expect(cachedTrackingDomain(cache)).toBe(null);
    } finally {
      cache.close();
    }
  });
});
