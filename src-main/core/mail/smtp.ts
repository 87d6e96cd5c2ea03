import type { Result } from '../../../src-shared/result';
import type { MailAccount, MailConnectOptions, SendResult, SmtpEnvelope } from './types';

/**
 * One SMTP transaction: the raw message with an explicit envelope (bcc and per-recipient copies are
 * expressed only there). Failures come back as values with `transient` set for retryable ones.
 */
export async function sendMail(
  _account: MailAccount,
  _raw: Buffer,
  _envelope: SmtpEnvelope,
  _options?: MailConnectOptions,
): Promise<Result<SendResult>> {
  throw new Error('TODO');
}
