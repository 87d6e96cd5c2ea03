import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDto } from '../../../src-shared/ipc';
import { createCollectorClient } from '../../../src-main/core/collector/client';
import { startTestCollector, type TestCollector } from '../../support/collector';
import { removeDir, startTestCore, waitFor, type TestCore } from '../helpers';
import { pixelToken, startSmtp } from './harness';

let col: TestCollector;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  [col, smtp] = await Promise.all([startTestCollector(), startSmtp()]);
});
afterAll(async () => {
  await Promise.all([col?.close(), smtp?.close()]);
});

const account = () => ({
  fromName: 'Maria Maklerin',
  fromEmail: 'maria@makler.example',
  smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' as const, user: '', password: '' },
  imap: { host: '127.0.0.1', port: 9, security: 'none' as const, user: 'maria', password: 'x' },
});
const mailsOf = (id: string) => smtp.received.filter((m) => m.raw.includes(id));

async function core(collectorUrl = col.url): Promise<TestCore> {
  const t = await startTestCore({ mailOptions: { connectTimeoutMs: 2000 } });
  expect((await t.core.dispatch('settings.saveMailAccount', account())).ok).toBe(true);
  if (collectorUrl) expect((await t.core.dispatch('settings.saveCollector', { url: collectorUrl, token: col.agentToken })).ok).toBe(true);
  return t;
}

async function activity(t: TestCore, id: string): Promise<ActivityDto | undefined> {
  const r = await t.core.dispatch('activities.list', {});
  return r.ok ? r.value.find((a) => a.id === id) : undefined;
}
/** every copy accepted (no IMAP here, so filing keeps retrying) */
const sent = (t: TestCore, id: string) =>
  waitFor(async () => {
    const a = await activity(t, id);
    return a?.sentAt && ['sent', 'retrying', 'filed'].includes(a.outboxState ?? '') ? a : null;
  }, 'sent');

describe('outbox flows in one process', () => {
  it('BCC recipients of a tracked shared send get their own copy and tracker, never the visible one', async () => {
    const t = await core();
    try {
      const r = await t.core.dispatch('compose.send', {
        to: ['anna@kunde.example'],
        cc: ['bert@kunde.example'],
        bcc: ['chef@makler.example'],
        subject: 'Besichtigung',
        html: '<p>Termin: <a href="https://example.org/termin">hier</a></p>',
        track: true,
        sendIndividually: false,
      });
      if (!r.ok) throw new Error(r.error.message);
      const id = r.value.activityId;
      await sent(t, id);
      const mails = mailsOf(id);
      expect(mails.map((m) => m.rcpt)).toEqual([['anna@kunde.example', 'bert@kunde.example'], ['chef@makler.example']]);
      for (const m of mails) expect(m.hasBccHeader).toBe(false);
      expect(mails[1]!.to).toBe(mails[0]!.to);
      const pix = mails.map(pixelToken);
      expect(pix[0]).toBeDefined();
      expect(pix[1]).toBeDefined();
      expect(pix[0]).not.toBe(pix[1]);
      const a = await activity(t, id);
      expect(a?.recipients.map((x) => x.kind)).toEqual(['to', 'cc', 'bcc']);
      // contacts are collected from the recipients
      const c = await t.core.dispatch('contacts.suggest', { query: 'kunde' });
      expect(c.ok && c.value.map((x) => x.email).sort()).toEqual(['anna@kunde.example', 'bert@kunde.example']);
    } finally {
      await t.close();
      removeDir(t.dataDir);
    }
  });

  it('an unchecked „E-Mail tracken“ sends the mail as written: no pixel, nothing registered', async () => {
    const t = await core();
    try {
      const html = '<p>Ohne Tracking <a href="https://example.org/x">Link</a></p>';
      const r = await t.core.dispatch('compose.send', { to: ['anna@kunde.example'], subject: 'Privat', html, track: false, sendIndividually: false });
      if (!r.ok) throw new Error(r.error.message);
      const a = await sent(t, r.value.activityId);
      expect(a.tracked).toBe(false);
      const m = mailsOf(r.value.activityId)[0]!;
      expect(pixelToken(m)).toBeUndefined();
      expect(m.html.trim()).toBe(html);
    } finally {
      await t.close();
      removeDir(t.dataDir);
    }
  });

  it('a collector that is down never loses the e-mail: it waits, then the agent sends it untracked', async () => {
    const down = await startTestCollector();
    const t = await startTestCore({ mailOptions: { connectTimeoutMs: 2000 } });
    try {
      expect((await t.core.dispatch('settings.saveMailAccount', account())).ok).toBe(true);
      expect((await t.core.dispatch('settings.saveCollector', { url: down.url, token: down.agentToken })).ok).toBe(true);
      await down.close();
      const r = await t.core.dispatch('compose.send', { to: ['anna@kunde.example'], subject: 'Wartet', text: 'Hallo https://example.org/a', track: true, sendIndividually: false });
      if (!r.ok) throw new Error(r.error.message);
      const id = r.value.activityId;
      const waiting = await waitFor(async () => {
        const a = await activity(t, id);
        return a?.outboxState === 'waiting_collector' ? a : null;
      }, 'waiting_collector');
      expect(waiting.outboxError).toMatch(/nicht erreichbar/);
      const st = await t.core.dispatch('status.get', {});
      expect(st.ok && st.value.outboxPending).toBe(1);
      expect(mailsOf(id)).toHaveLength(0);
      const resolved = await t.core.dispatch('outbox.resolve', { activityId: id, action: 'send_untracked' });
      expect(resolved.ok).toBe(true);
      const a = await sent(t, id);
      expect(a.tracked).toBe(false);
      const mails = mailsOf(id);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text.trim()).toBe('Hallo https://example.org/a');
    } finally {
      await t.close();
      removeDir(t.dataDir);
    }
  });

  it('an account switch turned off on the collector: the mail goes out untracked and the mirror follows', async () => {
    const t = await core();
    const admin = createCollectorClient({ baseUrl: col.url, token: col.adminToken });
    try {
      expect((await admin.putSettings({ trackingEnabled: false })).ok).toBe(true);
      const r = await t.core.dispatch('compose.send', { to: ['anna@kunde.example'], subject: 'Aus', text: 'x', track: true, sendIndividually: false });
      if (!r.ok) throw new Error(r.error.message);
      const a = await sent(t, r.value.activityId);
      expect(a.tracked).toBe(false);
      expect(pixelToken(mailsOf(r.value.activityId)[0]!)).toBeUndefined();
      const s = await t.core.dispatch('settings.get', {});
      expect(s.ok && s.value.trackingEnabled).toBe(false);
    } finally {
      expect((await admin.putSettings({ trackingEnabled: true })).ok).toBe(true);
      await t.close();
      removeDir(t.dataDir);
    }
  });

  it('discarding a mail that never went out removes it', async () => {
    const t = await startTestCore();
    try {
      expect((await t.core.dispatch('settings.saveMailAccount', { ...account(), smtp: { ...account().smtp, port: 9 } })).ok).toBe(true);
      const r = await t.core.dispatch('compose.send', { to: ['anna@kunde.example'], subject: 'Weg damit', text: 'x', track: false, sendIndividually: false });
      if (!r.ok) throw new Error(r.error.message);
      const id = r.value.activityId;
      await waitFor(async () => (await activity(t, id))?.outboxState === 'retrying', 'retrying');
      const d = await t.core.dispatch('outbox.resolve', { activityId: id, action: 'discard' });
      expect(d.ok).toBe(true);
      expect(await activity(t, id)).toBeUndefined();
    } finally {
      await t.close();
      removeDir(t.dataDir);
    }
  });
});
