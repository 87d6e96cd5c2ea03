import { findSentFolder, withImap } from './imap';
import { msg } from '../../../src-shared/messages';
import { ok } from '../../../src-shared/result';
import { verifySmtp } from './smtp';
import type { MailAccount, MailConnectOptions, TestConnectionReport } from './types';

/**
 * Logs in to SMTP and IMAP (in parallel) and reports what worked, for the settings dialog.
 * Nothing is sent and no folder is created. A server that offers no login is said so: the
 * password was not checked, and „Anmeldung in Ordnung“ would be a claim nobody tested.
 */
export async function testConnection(
  account: MailAccount,
  options: MailConnectOptions = {},
): Promise<TestConnectionReport> {
  const [smtp, imap] = await Promise.all([
    verifySmtp(account, options),
    withImap(account, options, 'LIST', async (client) =>
      ok(await findSentFolder(client, account.imap.sentFolder, false)),
    ),
  ]);
  const host = account.smtp.host;
  return {
    smtp: smtp.ok
      ? {
          ok: true,
          login: smtp.value,
          message: msg(
            smtp.value === 'checked'
              ? 'testSmtpOk'
              : smtp.value === 'not_offered'
                ? 'testSmtpNoAuth'
                : 'testSmtpNoUser',
            { host },
          ),
          detail: null,
        }
      : { ok: false, login: null, message: smtp.error.message, detail: smtp.error.detail ?? null },
    imap: imap.ok
      ? {
          ok: true,
          message: imap.value ? msg('testImapFolder', { folder: imap.value }) : msg('testImapNoFolder'),
          detail: null,
          sentFolder: imap.value,
        }
      : { ok: false, message: imap.error.message, detail: imap.error.detail ?? null, sentFolder: null },
  };
}
