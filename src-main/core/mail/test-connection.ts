import { findSentFolder, withImap } from './imap';
import { ok } from '../../../src-shared/result';
import { verifySmtp } from './smtp';
import type { MailAccount, MailConnectOptions, TestConnectionReport } from './types';

/**
 * Logs in to SMTP and IMAP (in parallel) and reports in German what worked, for the settings
 * dialog. Nothing is sent and no folder is created.
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
  return {
    smtp: smtp.ok
      ? { ok: true, message: `SMTP-Verbindung zu ${account.smtp.host} erfolgreich, Anmeldung in Ordnung.` }
      : { ok: false, message: smtp.error.message },
    imap: imap.ok
      ? {
          ok: true,
          message: imap.value
            ? `IMAP-Verbindung erfolgreich. Gesendete E-Mails werden in „${imap.value}“ abgelegt.`
            : 'IMAP-Verbindung erfolgreich. Ein Ordner „Sent“ wird beim ersten Versand angelegt.',
          sentFolder: imap.value,
        }
      : { ok: false, message: imap.error.message, sentFolder: null },
  };
}
