import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailAccountInput } from '../../src-shared/ipc';
import { startDovecot, type TestImapServer } from './mail-servers';
import { startPostfix, type TestPostfix } from './postfix';

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
