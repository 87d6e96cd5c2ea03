import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { msg } from '../../../src-shared/messages';
import { err, ok, type Result } from '../../../src-shared/result';
import type { BuildMessageInput, BuiltMessage, MailAddress } from './types';

/**
 * Builds the raw RFC 5322 message with nodemailer's MailComposer. The caller fixes Message-ID and
 * Date, so a retried send, every per-recipient copy and the copy filed in Sent are recognisably the
 * same message. Bcc recipients live only in the SMTP envelope unless `keepBcc` (the Sent copy).
 */
export async function buildMessage(input: BuildMessageInput): Promise<Result<BuiltMessage>> {
  const messageId = normaliseMessageId(input.messageId);
  if (!messageId) {
    return err({
      code: 'message_invalid',
      message: msg('messageInvalid'),
      detail: `invalid Message-ID ${input.messageId}`,
    });
  }
  const options: Mail.Options = {
    from: address(input.from),
    to: input.to.map(address),
    cc: input.cc?.length ? input.cc.map(address) : undefined,
    bcc: input.keepBcc && input.bcc?.length ? input.bcc.map(address) : undefined,
    subject: input.subject,
    html: input.html,
    text: input.text,
    attachments: input.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
    messageId,
    date: input.date ?? new Date(),
  };
  const node = new MailComposer(options).compile();
  node.keepBcc = input.keepBcc === true;
  try {
    const raw = await new Promise<Buffer>((resolve, reject) =>
      node.build((e, buf) => (e ? reject(e) : resolve(buf))),
    );
    return ok({ raw, messageId });
  } catch (e) {
    return err({
      code: 'message_invalid',
      message: msg('messageInvalid'),
      detail: e instanceof Error ? e.message : String(e),
    });
  }
}

/** `<local@domain>` from either `local@domain` or `<local@domain>`; null when it is not one. */
export function normaliseMessageId(id: string): string | null {
  const bare = id.trim().replace(/^<|>$/g, '');
  return /^[^\s<>@]+@[^\s<>@]+$/.test(bare) ? `<${bare}>` : null;
}

function address(a: MailAddress): Mail.Address {
  return { name: a.name ?? '', address: a.email };
}
