import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCollector } from '../../../src-collector/server';
import { createCollectorClient } from '../../../src-main/core/collector/client';
import { startTestCollector } from '../../support/collector';
import { readMailbox } from '../../support/mail-servers';
import { FAST_TIMING, removeDir, startTestCore, tempDir, waitFor } from '../helpers';
import { pixelToken } from './harness';
import { activity, filed, useOutboxServers } from './stack';
import { outboxText } from '../../support/messages';

const servers = useOutboxServers();
const { account, mailsOf } = servers;
const core = () => servers.core();
const sent = filed;

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
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const id = r.value.activityId;
      await sent(t, id);
      const mails = mailsOf(id);
      expect(mails.map((m) => m.rcpt)).toEqual([
        ['anna@kunde.example', 'bert@kunde.example'],
        ['chef@makler.example'],
      ]);
      for (const m of mails) expect(m.hasBccHeader).toBe(false);
      expect(mails[1]!.to).toBe(mails[0]!.to);
      const pix = mails.map(pixelToken);
      expect(pix[0]).toBeDefined();
      expect(pix[1]).toBeDefined();
      expect(pix[0]).not.toBe(pix[1]);
      const a = await activity(t, id);
      expect(a?.recipients.map((x) => x.kind)).toEqual(['to', 'cc', 'bcc']);
      // the Sent copy: exactly as written (no pixel, original link), with the Bcc header for the agent
      const filed = (await readMailbox(servers.imap, 'Sent'))
        .map((m) => m.raw.toString('utf8'))
        .filter((raw) => raw.includes(id));
      expect(filed).toHaveLength(1);
      expect(filed[0]).toMatch(/^Bcc: chef@makler\.example/m);
      expect(filed[0]).not.toContain('/o/');
      expect(filed[0]).not.toContain('/c/');
      // contacts are collected from the recipients
      const c = await t.core.dispatch('contacts.suggest', { query: 'kunde' });
      expect(c.ok && c.value.map((x) => x.email).sort()).toEqual([
        'anna@kunde.example',
        'bert@kunde.example',
      ]);
    } finally {
      await t.close();
      removeDir(t.dataDir);
    }
  });

  it('an unchecked „E-Mail tracken“ sends the mail as written: no pixel, nothing registered', async () => {
    const t = await core();
    try {
      const html = '<p>Ohne Tracking <a href="https://example.org/x">Link</a></p>';
      const r = await t.core.dispatch('compose.send', {
        to: ['anna@kunde.example'],
        subject: 'Privat',
        html,
        track: false,
        sendIndividually: false,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
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
    const t = await startTestCore({ mailOptions: { connectTimeoutMs: 2000, allowSelfSigned: true } });
    try {
      expect((await t.core.dispatch('settings.saveMailAccount', account())).ok).toBe(true);
      expect(
        (await t.core.dispatch('settings.saveCollector', { url: down.url, token: down.agentToken })).ok,
      ).toBe(true);
      await down.close();
      const r = await t.core.dispatch('compose.send', {
        to: ['anna@kunde.example'],
        subject: 'Wartet',
        text: 'Hallo https://example.org/a',
        track: true,
        sendIndividually: false,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const id = r.value.activityId;
      const waiting = await waitFor(async () => {
        const a = await activity(t, id);
        return a?.outboxState === 'waiting_collector' ? a : null;
      }, 'waiting_collector');
      expect(outboxText(waiting.outboxError)).toMatch(/nicht erreichbar/);
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

  it('a mail waiting for the collector goes out tracked as soon as the collector is back', async () => {
    const dir = tempDir('blitz-waiting-');
    const db = join(dir, 'collector.db');
    const first = await startTestCollector({ db });
    const port = Number(new URL(first.url).port);
    // a minute of back-off: only the collector coming back (sync reachable again) can wake it in time
    const t = await startTestCore({
      mailOptions: { connectTimeoutMs: 2000, allowSelfSigned: true },
      timing: { ...FAST_TIMING, retryBaseMs: 60_000, retryMaxMs: 60_000 },
    });
    let again: Awaited<ReturnType<typeof startCollector>> | null = null;
    try {
      expect((await t.core.dispatch('settings.saveMailAccount', account())).ok).toBe(true);
      expect(
        (await t.core.dispatch('settings.saveCollector', { url: first.url, token: first.agentToken })).ok,
      ).toBe(true);
      await first.close();
      const r = await t.core.dispatch('compose.send', {
        to: ['anna@kunde.example'],
        subject: 'Geduld',
        html: '<p>Bitte <a href="https://example.org/p">ansehen</a></p>',
        track: true,
        sendIndividually: false,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const id = r.value.activityId;
      await waitFor(async () => (await activity(t, id))?.outboxState === 'waiting_collector', 'waiting');
      again = await startCollector({ db, port, host: '127.0.0.1', rateLimit: false, logLevel: 'silent' });
      const a = await sent(t, id);
      expect(a.tracked).toBe(true);
      expect(pixelToken(mailsOf(id)[0]!)).toBeDefined();
    } finally {
      await t.close();
      await again?.close();
      removeDir(t.dataDir);
      removeDir(dir);
    }
  });

  it('an account switch turned off on the collector: the mail goes out untracked and the mirror follows', async () => {
    const t = await core();
    const admin = createCollectorClient({ baseUrl: servers.col.url, token: servers.col.adminToken });
    try {
      expect((await admin.putSettings({ trackingEnabled: false })).ok).toBe(true);
      const r = await t.core.dispatch('compose.send', {
        to: ['anna@kunde.example'],
        subject: 'Aus',
        text: 'x',
        track: true,
        sendIndividually: false,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
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

  it('tests the mail account against the real servers and reports in German', async () => {
    const t = await startTestCore({ mailOptions: { connectTimeoutMs: 2000, allowSelfSigned: true } });
    try {
      const good = await t.core.dispatch('settings.testMailAccount', account());
      if (!good.ok) throw new Error(JSON.stringify(good.error));
      expect(good.value.smtp.ok).toBe(true);
      expect(good.value.imap).toMatchObject({ ok: true, sentFolder: 'Sent' });
      const bad = await t.core.dispatch('settings.testMailAccount', {
        ...account(),
        imap: { ...account().imap, password: 'falsch' },
      });
      expect(bad.ok && bad.value.imap.ok).toBe(false);
    } finally {
      await t.close();
      removeDir(t.dataDir);
    }
  });

  it('discarding a mail that never went out removes it', async () => {
    const t = await startTestCore();
    try {
      expect(
        (
          await t.core.dispatch('settings.saveMailAccount', {
            ...account(),
            smtp: { ...account().smtp, port: 9 },
          })
        ).ok,
      ).toBe(true);
      const r = await t.core.dispatch('compose.send', {
        to: ['anna@kunde.example'],
        subject: 'Weg damit',
        text: 'x',
        track: false,
        sendIndividually: false,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
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
