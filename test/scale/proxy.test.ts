import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

/**
 * deploy/nginx.conf in front of two collectors on one database: its locations, headers and
 * stream settings as shipped, only TLS swapped for plain HTTP and the upstreams for this test's.
 */
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const skip = skipWithoutPg() || !NGINX;
let schema: ScratchSchema;
let instances: RunningCollector[] = [];
let nginx: ChildProcess | null = null;
let dir = '';
let proxy = '';
let token = '';

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

/** the shipped config with TLS and the redirect server taken out and test ports put in */
function testConfig(port: number, upstreams: string[]): string {
  let conf = readFileSync(resolve(__dirname, '../../deploy/nginx.conf'), 'utf8');
  conf = conf.replace(/server \{\n\s+listen 80;[\s\S]*?\n\}\n/, '');
  conf = conf.replace(/^\s*listen (\[::\]:)?443 ssl http2;\n/gm, '');
  conf = conf.replace(/^\s*ssl_certificate(_key)? .*\n/gm, '');
  conf = conf.replace(
    /server_name t\.example\.com;/,
    `listen 127.0.0.1:${port};\n    server_name t.example.com;`,
  );
  conf = conf.replace(/^\s*server (127\.0\.0\.1|10\.)[^\n]*\n/gm, '');
  conf = conf.replace(/least_conn;/, `least_conn;\n${upstreams.map((u) => `    server ${u};`).join('\n')}`);
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${conf}
}
`;
}

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
  writeFileSync(
    join(dir, 'nginx.conf'),
    testConfig(
      port,
      instances.map((c) => new URL(c.url).host),
    ),
  );
  const check = spawnSync(NGINX!, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx rejected the config: ${check.stderr}`);
  nginx = spawn(NGINX!, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
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
