/**
 * Mail transport over the agent's own servers: build the MIME message, send it over SMTP, file the
 * clean copy in the IMAP Sent folder. The core imports only from this file.
 */
export type {
  MailSecurity,
  MailServer,
  ImapServer,
  MailAccount,
  MailConnectOptions,
  MailAddress,
  MailAttachment,
  BuildMessageInput,
  BuiltMessage,
  SmtpEnvelope,
  SendResult,
  TestConnectionReport,
} from './types';
export { buildMessage } from './build';
export { sendMail } from './smtp';
export { appendToSent, findInSent } from './imap';
export { testConnection } from './test-connection';
