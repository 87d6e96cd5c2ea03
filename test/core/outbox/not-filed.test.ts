import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { readMailbox, startDovecot } from '../../support/mail-servers';
import { outboxText } from '../../support/messages';
import { waitFor } from '../helpers';
import { activity, inState, useOutboxServers } from './stack';

/**
 * Issue 12: a mail the SMTP server accepted but that could not be filed in Sent is a sent mail.
 * Real smtp-server and Dovecot; the append fails because Dovecot may not write the Sent maildir
 * (its mail process runs as `nobody` under root, as the agent's user otherwise).
 */
const servers = useOutboxServers();
const { account } = servers;
const core = () => servers.core();

/** the Sent maildir and its cur/new/tmp: writable or not for Dovecot's mail process */
function sentWritable(writable: boolean): void {
  const userDir = join(servers.imap.dir, 'mail', servers.imap.user);
  const sent = join(userDir, '.Sent');
  expect(existsSync(sent)).toBe(true);
  const mode = writable ? 0o700 : 0o500;
  for (const sub of readdirSync(sent, { withFileTypes: true }))
    if (sub.isDirectory()) chmodSync(join(sent, sub.name), mode);
  chmodSync(sent, mode);
}

describe('sent but not filed in Sent', () => {
  it('is a sent mail whose only action files the copy; nothing is sent twice, the queue does not count it', async () => {
    const t = await core();
    try {
      // a first mail files normally (and makes Dovecot create the Sent maildir)
      const first = await t.core.dispatch('compose.send', {
        to: ['anna@kunde.example'],
        subject: 'Erste',
        html: '<p>Hallo</p>',
        text: 'Hallo',
        track: true,
        sendIndividually: false,
      });
      if (!first.ok) throw new Error(JSON.stringify(first.error));
      await inState(t, first.value.activityId, 'filed');

      sentWritable(false);
      const r = await t.core.dispatch('compose.send', {
        to: ['bert@kunde.example'],
        subject: 'Exposé Gartenweg 4',
        html: '<p>Das Exposé: <a href="https://example.org/expose/4">hier</a></p>',
        text: 'Das Exposé: https://example.org/expose/4',
        track: true,
        sendIndividually: false,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const id = r.value.activityId;
      const a = await inState(t, id, 'not_filed');

      // sent: one SMTP transaction, a send date, and honest words about what is missing
      const copies = () => servers.smtp.received.filter((m) => m.raw.includes(id));
      expect(copies()).toHaveLength(1);
      expect(a.sentAt).not.toBeNull();
      expect(a.outboxError?.message.key).toBe('outboxNotFiled');
      expect(outboxText(a.outboxError)).toMatch(/nicht im Ordner „Gesendet“ abgelegt/);
      expect(outboxText(a.outboxError)).not.toMatch(/fehlgeschlagen/i);
      expect(a.outboxError?.detail).toBeTruthy();
      expect(a.outboxRetryAt).toBeNull();
      // the sidebar's queue counts what waits to be sent: nothing
      const st = await t.core.dispatch('status.get', {});
      expect(st.ok && st.value.outboxPending).toBe(0);
      // sending again is refused: every copy already went out
      const again = await t.core.dispatch('outbox.resolve', { activityId: id, action: 'retry' });
      expect(again.ok).toBe(false);
      expect(!again.ok && again.error.message.key).toBe('outboxFileOnly');

      // the problem is fixed: „In „Gesendet“ ablegen“ retries only the IMAP append
      sentWritable(true);
      const filed = await t.core.dispatch('outbox.resolve', { activityId: id, action: 'file' });
      expect(filed.ok).toBe(true);
      const done = await inState(t, id, 'filed');
      expect(done.outboxError).toBeNull();
      expect(copies()).toHaveLength(1);
      const inSent = await readMailbox(servers.imap, 'Sent');
      const subjects = await Promise.all(inSent.map(async (m) => (await simpleParser(m.raw)).subject));
      expect(subjects.filter((s) => s === 'Exposé Gartenweg 4')).toHaveLength(1);
    } finally {
      sentWritable(true);
      await t.close();
    }
  });

  it('a temporary IMAP failure is retried by itself (state sent with its time), then waits as not_filed', async () => {
    const down = await startDovecot();
    await down.close(); // its port now refuses connections: the IMAP server is away
    const t = await core();
    try {
      expect(
        (
          await t.core.dispatch('settings.saveMailAccount', {
            ...account(),
            imap: { ...account().imap, port: down.port },
          })
        ).ok,
      ).toBe(true);
      const r = await t.core.dispatch('compose.send', {
        to: ['carla@kunde.example'],
        subject: 'Server weg',
        text: 'Hallo',
        track: false,
        sendIndividually: false,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const id = r.value.activityId;
      const retrying = await waitFor(async () => {
        const a = await activity(t, id);
        return a?.outboxState === 'sent' && a.outboxError ? a : null;
      }, 'sent with a filing error');
      expect(retrying.outboxRetryAt).not.toBeNull();
      expect(retrying.outboxError?.cause?.key).toBe('imapConnectionRefused');
      const waiting = await inState(t, id, 'not_filed');
      expect(waiting.outboxRetryAt).toBeNull();
      expect(servers.smtp.received.filter((m) => m.raw.includes(id))).toHaveLength(1);

      // the agent fixes the port and files: the copy lands in Sent, nothing is sent again
      expect((await t.core.dispatch('settings.saveMailAccount', account())).ok).toBe(true);
      expect((await t.core.dispatch('outbox.resolve', { activityId: id, action: 'file' })).ok).toBe(true);
      await inState(t, id, 'filed');
      expect(servers.smtp.received.filter((m) => m.raw.includes(id))).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});

describe('the plain-text part of a tracked mail', () => {
  it('keeps the links as the agent wrote them when an HTML part carries the tracking', async () => {
    const t = await core();
    try {
      const r = await t.core.dispatch('compose.send', {
        to: ['dora@kunde.example'],
        subject: 'Text mit Link',
        html: '<p>Grundriss: <a href="https://example.org/grundriss/7">ansehen</a></p>',
        text: 'Grundriss: https://example.org/grundriss/7',
        track: true,
        sendIndividually: false,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const id = r.value.activityId;
      await inState(t, id, 'filed');
      const m = servers.smtp.received.find((x) => x.raw.includes(id));
      expect(m).toBeDefined();
      expect(m!.text.trim()).toBe('Grundriss: https://example.org/grundriss/7');
      // the HTML part is the tracked one
      expect(m!.html).toMatch(/\/c\/[A-Za-z0-9_-]+\/0/);
      expect(m!.html).not.toMatch(/href="https:\/\/example\.org\/grundriss\/7"/);
    } finally {
      await t.close();
    }
  });

  it('a text-only mail tracks its links and names each real target in brackets', async () => {
    const t = await core();
    try {
      const r = await t.core.dispatch('compose.send', {
        to: ['emil@kunde.example'],
        subject: 'Nur Text',
        text: 'Exposé: https://example.org/expose/9 – bis bald',
        track: true,
        sendIndividually: false,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const id = r.value.activityId;
      await inState(t, id, 'filed');
      const m = servers.smtp.received.find((x) => x.raw.includes(id));
      expect(m).toBeDefined();
      expect(m!.text.trim()).toMatch(
        /^Exposé: http:\/\/127\.0\.0\.1:\d+\/c\/[A-Za-z0-9_-]+\/0 \(→ example\.org\/expose\/9\) – bis bald$/,
      );
    } finally {
      await t.close();
    }
  });
});
