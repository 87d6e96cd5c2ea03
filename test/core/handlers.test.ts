import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcOperations } from '../../src-shared/ipc';
import { createCollectorClient } from '../../src-main/core/collector/client';
import { parseRetryAfter } from '../../src-main/core/collector/errors';
import { createFileSecretStore } from '../../src-main/core/secrets/file-store';
import { startTestCollector, type TestCollector } from '../support/collector';
import { removeDir, startTestCore, tempDir, type TestCore } from './helpers';
import { deText } from '../support/messages';

let col: TestCollector;
let t: TestCore;

beforeAll(async () => {
  col = await startTestCollector();
  t = await startTestCore();
});
afterAll(async () => {
  await t?.close();
  removeDir(t.dataDir);
  await col?.close();
});

const account = {
  fromName: 'Maria Maklerin',
  fromEmail: 'maria@makler.example',
  smtp: { host: '127.0.0.1', port: 2525, security: 'none' as const, user: 'maria', password: 'smtp-geheim' },
  imap: { host: '127.0.0.1', port: 1143, security: 'none' as const, user: 'maria', password: 'imap-geheim' },
};

describe('handler table', () => {
  it('rejects bad arguments of every operation as a value, never a throw', async () => {
    for (const op of Object.keys(ipcOperations) as (keyof typeof ipcOperations)[]) {
      const r = await t.core.dispatch(op, { definitely: 'not an argument' });
      expect(r.ok, op).toBe(false);
      if (!r.ok) expect(r.error.code, op).toBe('invalid_arguments');
    }
    const noRecipient = await t.core.dispatch('compose.send', {
      subject: 'x',
      track: true,
      sendIndividually: false,
    });
    expect(!noRecipient.ok && noRecipient.error.code).toBe('invalid_arguments');
    const badMail = await t.core.dispatch('compose.send', {
      to: ['kein-mail'],
      subject: 'x',
      track: true,
      sendIndividually: false,
    });
    expect(!badMail.ok && badMail.error.detail).toMatch(/to\.0/);
    const unknown = await t.core.dispatch('nope.nope' as 'status.get', {});
    expect(!unknown.ok && unknown.error.code).toBe('unknown_operation');
  });

  it('stores the mail account without passwords in the cache and the passwords as secrets', async () => {
    const r = await t.core.dispatch('settings.saveMailAccount', account);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.mailAccount?.smtp).toMatchObject({ host: '127.0.0.1', hasPassword: true });
    expect(r.value.secretsEncrypted).toBe(false);
    const db = new Database(join(t.dataDir, 'cache.sqlite'), { readonly: true });
    const dump = JSON.stringify(db.prepare('SELECT * FROM meta').all());
    db.close();
    expect(dump).toContain('maria@makler.example');
    expect(dump).not.toContain('geheim');
    // omitting the password keeps the stored one
    const again = await t.core.dispatch('settings.saveMailAccount', {
      ...account,
      smtp: { ...account.smtp, password: undefined },
    });
    expect(again.ok && again.value.mailAccount?.smtp.hasPassword).toBe(true);
    expect(readFileSync(join(t.dataDir, 'secrets.json'), 'utf8')).toContain('smtp-geheim');
  });

  it('refuses a wrong collector token with a German message and keeps nothing', async () => {
    const r = await t.core.dispatch('settings.saveCollector', { url: col.url, token: 'falsch' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('collector_unauthorized');
      expect(deText(r.error.message)).toMatch(/Zugangsschlüssel abgelehnt/);
      expect(r.error.transient).toBe(false);
    }
    const s = await t.core.dispatch('settings.get', {});
    expect(s.ok && s.value.collector).toBeNull();
  });

  it('switches account-wide tracking only for an admin, on the collector and in the mirror', async () => {
    expect(
      (await t.core.dispatch('settings.saveCollector', { url: col.url, token: col.agentToken })).ok,
    ).toBe(true);
    const denied = await t.core.dispatch('settings.setTrackingEnabled', { enabled: false });
    expect(!denied.ok && denied.error.code).toBe('forbidden');

    const admin = await startTestCore();
    try {
      const saved = await admin.core.dispatch('settings.saveCollector', {
        url: col.url,
        token: col.adminToken,
      });
      expect(saved.ok && saved.value.collector?.user?.role).toBe('admin');
      const off = await admin.core.dispatch('settings.setTrackingEnabled', { enabled: false });
      expect(off.ok && off.value.trackingEnabled).toBe(false);
      const onCollector = await createCollectorClient({
        baseUrl: col.url,
        token: col.agentToken,
      }).getSettings();
      expect(onCollector.ok && onCollector.value.trackingEnabled).toBe(false);
      const refused = await createCollectorClient({
        baseUrl: col.url,
        token: col.agentToken,
      }).registerMessage({
        clientId: 'x',
        subject: 's',
        sentIndividually: false,
        recipients: [{ email: 'a@b.example' }],
        links: [],
      });
      expect(!refused.ok && refused.error.code).toBe('tracking_disabled');
      expect((await admin.core.dispatch('settings.setTrackingEnabled', { enabled: true })).ok).toBe(true);
    } finally {
      await admin.close();
      removeDir(admin.dataDir);
    }
  });

  it('starts the local test mode through the injected collector starter', async () => {
    let closed = false;
    const lt = await startTestCore({
      startLocalCollector: async () => {
        const c = await startTestCollector();
        return {
          url: c.url,
          adminToken: c.adminToken,
          close: async () => {
            closed = true;
            await c.close();
          },
        };
      },
    });
    try {
      const r = await lt.core.dispatch('settings.startLocalTestMode', {});
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      expect(r.value.localTestMode).toBe(true);
      expect(r.value.collector?.user?.role).toBe('admin');
    } finally {
      await lt.close();
      removeDir(lt.dataDir);
    }
    expect(closed).toBe(true);
  });
});

describe('collector client errors', () => {
  it('reports an unreachable collector as transient', async () => {
    const c = createCollectorClient({ baseUrl: 'http://127.0.0.1:9', token: 't', timeoutMs: 2000 });
    const r = await c.me();
    expect(!r.ok && r.error.code).toBe('collector_unreachable');
    expect(!r.ok && r.error.transient).toBe(true);
  });

  it('maps 429 to a transient error carrying the Retry-After delay', async () => {
    const limited = await startTestCollector({ rateLimit: true, rateLimits: { apiPerToken: 1 } });
    try {
      const c = createCollectorClient({ baseUrl: limited.url, token: limited.agentToken });
      expect((await c.me()).ok).toBe(true);
      const r = await c.me();
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatchObject({
          code: 'collector_rate_limited',
          status: 429,
          transient: true,
          retryAfterMs: 60_000,
        });
      }
    } finally {
      await limited.close();
    }
  });

  it('reads Retry-After in seconds and as a date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString(), Date.now())).toBeGreaterThan(8000);
    expect(parseRetryAfter('bogus')).toBeNull();
  });
});

describe('file secret store', () => {
  it('writes 0600, says it is not encrypted and warns loudly', async () => {
    const dir = tempDir('blitz-secrets-');
    const warnings: string[] = [];
    const s = createFileSecretStore(join(dir, 's.json'), { warn: (_o, m) => warnings.push(m ?? '') });
    expect(s.encrypted).toBe(false);
    expect(warnings.join()).toMatch(/UNENCRYPTED/);
    await Promise.all([s.set('a', '1'), s.set('b', '2'), s.set('c', '3')]);
    expect(statSync(join(dir, 's.json')).mode & 0o777).toBe(0o600);
    expect([await s.get('a'), await s.get('b'), await s.get('c')]).toEqual(['1', '2', '3']);
    await s.delete('b');
    expect(await s.get('b')).toBeNull();
    removeDir(dir);
  });
});
