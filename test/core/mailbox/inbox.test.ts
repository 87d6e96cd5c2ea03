import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsResponse } from '../../../src-shared/api';
import type { FeedDto } from '../../../src-shared/ipc';
import { startTestCollector, type TestCollector } from '../../support/collector';
import { sendExposeToAnnaAndNiemand, startAgencyMail, type AgencyMail } from '../../support/agency-mail';
import { readMailbox, type TestImapServer } from '../../support/mail-servers';
import type { TestPostfix } from '../../support/postfix';
import { call } from '../../collector/helpers';
import { startTestCore, tempDir, waitFor, type TestCore } from '../helpers';

/**
 * Issue 19 against real servers: Postfix on loopback delivers into Dovecot's maildirs and writes
 * a real bounce for an unknown user; replies and an out-of-office answer go through the same
 * Postfix; the app reads the INBOX read-only, reports the facts to the collector, and resumes
 * after a restart without doubling anything.
 */
let col: TestCollector;
let mail: AgencyMail;
let imap: TestImapServer;
let pf: TestPostfix;

beforeAll(async () => {
  [col, mail] = await Promise.all([startTestCollector(), startAgencyMail()]);
  ({ imap, pf } = mail);
}, 60_000);
afterAll(async () => {
  await Promise.all([col?.close(), mail?.close()]);
});

const account = () => mail.account();

async function core(dataDir?: string): Promise<TestCore> {
  const t = await startTestCore(
    {
      mailOptions: { connectTimeoutMs: 3000, allowSelfSigned: true },
      // long IDLE: the test wakes the watcher itself with scanMailbox()
      mailboxTiming: { pollMs: 60_000, idleMs: 60_000, retryMs: 500 },
    },
    dataDir,
  );
  expect((await t.core.dispatch('settings.saveMailAccount', account())).ok).toBe(true);
  // off by default: the agent switches it on per account
  const on = await t.core.dispatch('settings.setMailboxSignals', { enabled: true, folder: 'INBOX' });
  expect(on.ok && on.value.mailboxSignals?.enabled).toBe(true);
  expect((await t.core.dispatch('settings.saveCollector', { url: col.url, token: col.agentToken })).ok).toBe(
    true,
  );
  return t;
}

const smtp = () => mail.smtp();
const annasCopyId = () => mail.deliveredMessageId('anna@test.local');

async function feed(t: TestCore, id: string): Promise<FeedDto> {
  const r = await t.core.dispatch('feed.get', { activityId: id });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

async function collectorMailEvents() {
  const r = await call(`${col.url}/api/v1/events?after=0&limit=1000`, { token: col.agentToken });
  return EventsResponse.parse(r.body).events.filter((e) => e.type.startsWith('mail.'));
}

describe('mailbox signals from a real INBOX', () => {
  let dataDir: string;
  let activityId: string;

  it('a reply, a reply to the reply, a real Postfix bounce and an out-of-office answer become events, read-only', async () => {
    dataDir = tempDir();
    const t = await core(dataDir);
    try {
      // the first scan of an empty INBOX sets the cursor
      await t.core.scanMailbox!();
      activityId = await sendExposeToAnnaAndNiemand(t.core, pf, 'Exposé Lindenstraße 5');
      const original = annasCopyId();
      const mail = smtp();
      const reply = await mail.sendMail({
        from: 'Anna Beispiel <anna@test.local>',
        to: 'makler@test.local',
        subject: 'Re: Exposé Lindenstraße 5',
        text: 'Gern würde ich die Wohnung besichtigen.\n\n> Guten Tag, anbei das Exposé.',
        inReplyTo: original,
        references: [original],
        messageId: '<antwort-1@test.local>',
      });
      expect(reply.accepted).toHaveLength(1);
      // a reply to the agent's answer: In-Reply-To names a mail Blitz did not send, References the first
      await mail.sendMail({
        from: 'Anna Beispiel <anna@test.local>',
        to: 'makler@test.local',
        subject: 'Re: Re: Exposé Lindenstraße 5',
        text: 'Dienstag passt mir.',
        inReplyTo: '<antwort-der-maklerin@test.local>',
        references: [original, '<antwort-1@test.local>', '<antwort-der-maklerin@test.local>'],
        messageId: '<antwort-2@test.local>',
      });
      await mail.sendMail({
        from: 'Anna Beispiel <anna@test.local>',
        to: 'makler@test.local',
        subject: 'Abwesenheitsnotiz: Exposé Lindenstraße 5',
        text: 'Ich bin bis 14.12. nicht im Büro.',
        inReplyTo: original,
        headers: { 'Auto-Submitted': 'auto-replied' },
        messageId: '<ooo-1@test.local>',
      });
      await pf.drain();
      const before = await readMailbox(imap, 'INBOX');
      // the bounce from Postfix itself, a reply, a reply to a reply, an out-of-office answer
      expect(before).toHaveLength(4);
      expect(before.some((m) => m.raw.toString().includes('multipart/report'))).toBe(true);

      const st = await t.core.scanMailbox!();
      expect(st.error).toBeNull();
      const f = await feed(t, activityId);
      const mailItems = f.items.filter((i) => i.type.startsWith('mail.'));
      expect(mailItems.map((i) => i.type).sort()).toEqual([
        'mail.auto_replied',
        'mail.bounced',
        'mail.replied',
        'mail.replied',
      ]);
      const bounce = mailItems.find((i) => i.type === 'mail.bounced')!;
      expect(bounce.recipientEmail).toBe('niemand@test.local');
      expect(bounce.mail?.status).toBe('5.1.1');
      expect(bounce.mail?.reason?.key).toBe('mailboxBounceUnknownUser');
      expect(bounce.mail?.diagnostic).toContain('unknown user');
      expect(f.undelivered).toEqual(['niemand@test.local']);
      const first = mailItems.find(
        (i) => i.type === 'mail.replied' && i.mail?.firstLine?.startsWith('Gern'),
      )!;
      expect(first.personName).toBe('Anna Beispiel');
      expect(first.mail?.subject).toBe('Re: Exposé Lindenstraße 5');
      expect(mailItems.find((i) => i.type === 'mail.auto_replied')!.isNew).toBe(false);

      // notifications: both replies and the bounce, never the out-of-office answer
      const titles = t.notifications.map((n) => n.title);
      expect(titles.filter((x) => x === 'Anna Beispiel antwortete')).toHaveLength(2);
      expect(titles).toContain('Zustellung an niemand@test.local fehlgeschlagen');
      expect(titles.some((x) => x.startsWith('Abwesenheitsnotiz'))).toBe(false);

      // strictly read-only: every flag as before (no \Seen), nothing moved or deleted
      const after = await readMailbox(imap, 'INBOX');
      expect(after.map((m) => [m.uid, m.flags])).toEqual(before.map((m) => [m.uid, m.flags]));
      for (const m of after) expect(m.flags).not.toContain('\\Seen');

      // the collector has the facts, never the content
      const events = await waitFor(async () => {
        const e = await collectorMailEvents();
        return e.length === 4 ? e : null;
      }, 'four mail events on the collector');
      const text = JSON.stringify(events);
      expect(text).not.toContain('Gern');
      expect(text).not.toContain('Abwesenheitsnotiz');
      expect(text).not.toContain('antwort-1');
      expect(events.find((e) => e.type === 'mail.bounced')!.detail).toEqual({ status: '5.1.1' });
    } finally {
      await t.close();
    }
  }, 120_000);

  it('a restart resumes after the last UID: nothing is read twice, notified twice or reported twice', async () => {
    const t = await core(dataDir);
    try {
      const st = await t.core.scanMailbox!();
      expect(st.lastScan?.scanned).toBe(0);
      expect(t.notifications).toHaveLength(0);
      const f = await feed(t, activityId);
      expect(f.items.filter((i) => i.type.startsWith('mail.'))).toHaveLength(4);
      expect(await collectorMailEvents()).toHaveLength(4);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('a second desktop of the agent reading the same INBOX finds the same facts and doubles none', async () => {
    const t = await core();
    try {
      // it knows the activity only from the collector (sent elsewhere): the Message-ID names it
      await waitFor(
        async () => {
          const l = await t.core.dispatch('activities.list', {});
          return l.ok && l.value.some((a) => a.id === activityId) ? true : null;
        },
        'activity synced from the collector',
        20_000,
      );
      // the watcher may have read the INBOX before the activity arrived: those mails are read again
      const st = await t.core.scanMailbox!();
      expect(st.error).toBeNull();
      const f = await feed(t, activityId);
      expect(f.items.filter((i) => i.type.startsWith('mail.'))).toHaveLength(4);
      await new Promise((r) => setTimeout(r, 500));
      expect(await collectorMailEvents()).toHaveLength(4);
    } finally {
      await t.close();
    }
  }, 60_000);
});
