import type { MailAccount, MailConnectOptions, TestConnectionReport } from './types';

/** Logs in to SMTP and IMAP and reports in German what worked, for the settings dialog. */
export async function testConnection(
  _account: MailAccount,
  _options?: MailConnectOptions,
): Promise<TestConnectionReport> {
  throw new Error('TODO');
}
