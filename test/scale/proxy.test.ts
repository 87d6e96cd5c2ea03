import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsResponse } from '../../src-shared/api';
import { startCollector, type RunningCollector } from '../../src-collector/server';
import { createAccount, createUser } from '../../src-collector/accounts';
import {
  createScratchSchema,
  PG_SKIP_REASON,
  skipWithoutPg,
  type ScratchSchema,
} from '../collector-pg/pg-support';
import { call, CHROME_UA, openStream, register } from '../collector/helpers';
import { freePort } from '../support/mail-servers';
import { NGINX, shippedConfigOnLoopback, startNginx, testNginxConfig } from '../support/nginx';

/**
 * deploy/nginx.conf in front of two collectors on one database: its locations, headers and
 * stream settings as shipped, only TLS swapped for plain HTTP and the upstreams for this test's.
 */
const skip = skipWithoutPg() || !NGINX;
let schema: ScratchSchema;
let instances: RunningCollector[] = [];
let nginx: ChildProcess | null = null;
let dir = '';
let proxy = '';
let token = '';

beforeAll(async () => {
  if (skip) return;
  schema = await createScratchSchema();
  instances = [];
  for (let i = 0; i < 2; i++) {
    instances.push(
      await startCollector({
        databaseUrl: schema.url,
        rateLimit: false,
        logLevel: 'silent',
        trustProxy: '127.0.0.1',
        heartbeatMs: 60_000,
      }),
    );
  }
  const account = await createAccount(instances[0]!.store, 'Proxy GmbH');
  token = (
    await createUser(instances[0]!.store, {
      accountId: account.id,
      email: 'p@x.example',
      name: 'P',
      role: 'admin',
    })
  ).token;
  dir = mkdtempSync(join(tmpdir(), 'blitz-proxy-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  // the shipped config with TLS and the redirect server taken out and test ports put in
  nginx = startNginx(
    dir,
    testNginxConfig(
      dir,
      shippedConfigOnLoopback(
        port,
        instances.map((c) => new URL(c.url).host),
      ),
    ),
  );
  proxy = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if (
        (await fetch(`${proxy}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status === 200
      )
        break;
    } catch {
      // not up yet
    }
    if (i > 100) throw new Error('nginx did not come up');
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  if (skip) return;
  nginx?.kill('SIGTERM');
  for (const c of instances) await c.close();
  await schema?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)(
  `deploy/nginx.conf in front of two collectors${skip ? ` (skipped: ${NGINX ? PG_SKIP_REASON : 'no nginx'})` : ''}`,
  () => {
    it('streams unbuffered through the proxy, hits through either instance arrive within a second', async () => {
      const reg = await register({ url: proxy }, token);
      const start = EventsResponse.parse((await call(`${proxy}/api/v1/events`, { token })).body);
      const s = openStream(`${proxy}/api/v1/events/stream?after=${start.next}`, token);
      try {
        await s.ready;
        expect(s.status).toBe(200);
        for (let i = 0; i < 4; i++) {
          const t0 = Date.now();
          const px = await fetch(`${proxy}${new URL(reg.trackers[0]!.pixelUrl).pathname}`, {
            headers: { 'user-agent': CHROME_UA },
          });
          expect(px.status).toBe(200);
          expect((await px.arrayBuffer()).byteLength).toBe(43);
          await s.waitFor(() => s.frames.filter((f) => f.event === 'event').length === i + 1, 1000);
          expect(Date.now() - t0).toBeLessThan(1000);
        }
      } finally {
        s.close();
      }
    });

    it('the client address comes from the proxy, and a client cannot forge it', async () => {
      const reg = await register({ url: proxy }, token, {
        recipients: [{ email: 'a@kunde.example' }, { email: 'b@kunde.example' }],
      });
      // through nginx with a forged header: nginx replaces X-Forwarded-For with the address it saw
      await fetch(`${proxy}${new URL(reg.trackers[0]!.pixelUrl).pathname}`, {
        headers: { 'user-agent': CHROME_UA, 'x-forwarded-for': '203.0.113.77' },
      }).then((r) => r.arrayBuffer());
      // straight from the trusted proxy address (as nginx would send it): the collector believes it
      await fetch(`${instances[1]!.url}${new URL(reg.trackers[1]!.pixelUrl).pathname}`, {
        headers: { 'user-agent': CHROME_UA, 'x-forwarded-for': '198.51.100.9' },
      }).then((r) => r.arrayBuffer());
      const page = EventsResponse.parse((await call(`${proxy}/api/v1/events`, { token })).body);
      const mine = page.events.filter((e) => e.messageId === reg.messageId);
      expect(mine.find((e) => e.recipientEmail === 'a@kunde.example')?.client.ipPrefix).toBe('127.0.0.0/24');
      expect(mine.find((e) => e.recipientEmail === 'b@kunde.example')?.client.ipPrefix).toBe(
        '198.51.100.0/24',
      );
    });
  },
);
