import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import { err, ok, type Result } from '../../../src-shared/result';
import { smtpError } from './errors';
import type { MailAccount, MailConnectOptions, SendResult, SmtpEnvelope } from './types';

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
export const DEFAULT_SOCKET_TIMEOUT_MS = 60_000;

/**
 * One SMTP transaction: the raw message with an explicit envelope, so bcc recipients and
 * per-recipient copies exist only in RCPT TO and never in the headers. STARTTLS is required when
 * the account says so (no silent downgrade to plain text), TLS certificates are verified unless
 * `allowSelfSigned`. Failures come back as values, `transient` for those worth retrying.
 */
export async function sendMail(
  account: MailAccount,
  raw: Buffer,
  envelope: SmtpEnvelope,
  options: MailConnectOptions = {},
): Promise<Result<SendResult>> {
  const transport = createSmtpTransport(account, options);
  try {
    const info = await transport.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw });
    return ok({
      accepted: info.accepted.map(addressOf),
      rejected: info.rejected.map(addressOf),
      response: info.response,
    });
  } catch (e) {
    return err(smtpError(e));
  } finally {
    transport.close();
  }
}

/** Connects, upgrades and authenticates without sending: for the settings dialog. */
export async function verifySmtp(
  account: MailAccount,
  options: MailConnectOptions = {},
): Promise<Result<true>> {
  const transport = createSmtpTransport(account, options);
  try {
    await transport.verify();
    return ok(true);
  } catch (e) {
    return err(smtpError(e));
  } finally {
    transport.close();
  }
}

function createSmtpTransport(account: MailAccount, options: MailConnectOptions) {
  const { smtp } = account;
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
    tls: {
      rejectUnauthorized: !options.allowSelfSigned,
      servername: isIP(smtp.host) ? undefined : smtp.host,
    },
    connectionTimeout: connectTimeout,
    greetingTimeout: connectTimeout,
    socketTimeout: options.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS,
    dnsTimeout: connectTimeout,
    logger: false,
    debug: false,
  });
}

function addressOf(a: string | { address: string }): string {
  return typeof a === 'string' ? a : a.address;
}
