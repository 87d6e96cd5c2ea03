/**
 * The agent's own mail account as the mail layer needs it. Same shape as MailAccountInput of
 * src-shared/ipc.ts, but with the passwords filled in from the secret store by the caller.
 */
export type MailSecurity = 'tls' | 'starttls' | 'none';

export interface MailServer {
  host: string;
  port: number;
  /** tls = implicit TLS (465/993), starttls = upgrade required, none = plain (local tests only) */
  security: MailSecurity;
  user: string;
  password: string;
}

export interface ImapServer extends MailServer {
  /** explicit Sent folder path; omitted = discovered (special-use \Sent, then well-known names) */
  sentFolder?: string;
}

export interface MailAccount {
  fromName: string;
  fromEmail: string;
  smtp: MailServer;
  imap: ImapServer;
}

/** Knobs for tests and the local test mode; the defaults are what production uses. */
export interface MailConnectOptions {
  /** accept self-signed / unverifiable certificates; off by default */
  allowSelfSigned?: boolean;
  /** connect + greeting timeout in ms (default 15 s) */
  connectTimeoutMs?: number;
  /** idle socket timeout in ms (default 60 s) */
  socketTimeoutMs?: number;
}

export interface MailAddress {
  email: string;
  name?: string | null;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface BuildMessageInput {
  from: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  /** never written to the headers unless keepBcc (the copy filed in Sent) */
  bcc?: MailAddress[];
  subject: string;
  html?: string;
  text?: string;
  attachments?: MailAttachment[];
  /** stable id chosen by the caller (with or without <>), so a retried send is recognisable */
  messageId: string;
  /** fixed Date header, so per-recipient copies and the Sent copy carry the same one */
  date?: Date;
  /** write a Bcc header: for the copy filed in the Sent folder only */
  keepBcc?: boolean;
}

export interface BuiltMessage {
  raw: Buffer;
  /** normalised, with angle brackets: `<id@host>` */
  messageId: string;
}

export interface SmtpEnvelope {
  from: string;
  to: string[];
}

export interface SendResult {
  accepted: string[];
  rejected: string[];
  /** the server's final reply, e.g. `250 2.0.0 Ok: queued as …` */
  response: string;
}

export type TestConnectionReport = import('../../../src-shared/ipc').TestConnectionResult;
