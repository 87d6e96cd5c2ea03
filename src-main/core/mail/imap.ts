import type { Result } from '../../../src-shared/result';
import type { MailAccount, MailConnectOptions } from './types';

/** The Sent folder path: the account's override, special-use \Sent, a well-known name, or a new "Sent". */
export async function resolveSentFolder(
  _account: MailAccount,
  _options?: MailConnectOptions,
): Promise<Result<{ folder: string }>> {
  throw new Error('TODO');
}

/** APPENDs the clean copy to the Sent folder with \Seen. */
export async function appendToSent(
  _account: MailAccount,
  _raw: Buffer,
  _options?: MailConnectOptions,
): Promise<Result<{ folder: string }>> {
  throw new Error('TODO');
}

/** Whether a message with this Message-ID is already in the Sent folder (no double filing after a crash). */
export async function findInSent(
  _account: MailAccount,
  _messageId: string,
  _options?: MailConnectOptions,
): Promise<Result<{ folder: string; found: boolean }>> {
  throw new Error('TODO');
}
