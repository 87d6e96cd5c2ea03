import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { CoreApi } from '../../src-main/core/api';
import type { MailAccountInput } from '../../src-shared/ipc';
import { startDovecot, type TestImapServer } from './mail-servers';
import { startPostfix, type TestPostfix } from './postfix';
import { waitFor } from './wait-for';

/**
 * The agency's mail on loopback, as issue 19's tests need it: Dovecot with the agent's mailbox
 * (makler@test.local) and a private Postfix for test.local delivering into Dovecot's maildirs —
 * to the agent and to the prospect anna@test.local — and bouncing for anyone else, for real.
 */
export interface AgencyMail {
  imap: TestImapServer;
  pf: TestPostfix;
  /** the agent's account on these servers (SMTP through Postfix, IMAP STARTTLS on Dovecot) */
  account(): MailAccountInput;
  /** a plain SMTP client into Postfix: how the prospect's replies arrive */
  smtp(): Transporter;
  /** the Message-ID of the first mail delivered to `who`'s maildir (e.g. anna@test.local) */
  deliveredMessageId(who: string): string;
  close(): Promise<void>;
}

export async function startAgencyMail(): Promise<AgencyMail> {
  const imap = await startDovecot({ user: 'makler@test.local' });
  const pf = await startPostfix({
    domain: 'test.local',
    mailDir: join(imap.dir, 'mail'),
    mailboxes: ['makler@test.local', 'anna@test.local'],
    uid: process.getuid?.() === 0 ? 65534 : process.getuid!(),
    gid: process.getgid?.() === 0 ? 65534 : process.getgid!(),
  }).catch(async (e: unknown) => {
    await imap.close();
    throw e;
  });
  return {
    imap,
    pf,
    account: () => ({
      fromName: 'Maria Maklerin',
      fromEmail: 'makler@test.local',
      smtp: { host: pf.host, port: pf.port, security: 'none', user: '', password: '' },
      imap: {
        host: imap.host,
        port: imap.port,
        security: 'starttls',
        user: imap.user,
        password: imap.password,
      },
    }),
    smtp: () => nodemailer.createTransport({ host: pf.host, port: pf.port, secure: false, ignoreTLS: true }),
    deliveredMessageId(who) {
      const dir = join(imap.dir, 'mail', who, 'new');
      const raw = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))[0]!;
      return /^Message-ID:\s*(<[^>]+>)/im.exec(raw)![1]!;
    },
    close: async () => {
      await Promise.all([imap.close(), pf.close()]);
    },
  };
}

/**
 * The Blitz mail issue 19's tests answer: a tracked Exposé sent individually to anna@test.local
 * (delivered) and niemand@test.local (bounced by Postfix), waited for until it is filed in Sent
 * and Postfix's queue is empty (the bounce is in the agent's INBOX). Returns the activity's id.
 */
export async function sendExposeToAnnaAndNiemand(core: CoreApi, pf: TestPostfix, subject: string): Promise<string> {
  const r = await core.dispatch('compose.send', {
    to: ['anna@test.local', 'niemand@test.local'],
    subject,
    html: '<p>Guten Tag, anbei das Exposé.</p>',
    track: true,
    sendIndividually: true,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const activityId = r.value.activityId;
  await waitFor(
    async () => {
      const l = await core.dispatch('activities.list', {});
      return l.ok && l.value.find((a) => a.id === activityId)?.outboxState === 'filed' ? true : null;
    },
    'sent and filed',
    30_000,
  );
  await pf.drain();
  return activityId;
}
