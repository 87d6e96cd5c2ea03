import type { Result } from '../../../src-shared/result';
import type { BuildMessageInput, BuiltMessage } from './types';

/** Builds the raw RFC 5322 message with nodemailer's MailComposer. */
export async function buildMessage(_input: BuildMessageInput): Promise<Result<BuiltMessage>> {
  throw new Error('TODO');
}
