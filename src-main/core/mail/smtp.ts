import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
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
    return err(smtpError(e, { host: account.smtp.host, port: account.smtp.port }));
  } finally {
    transport.close();
  }
}

/** how the connection test's login went: checked, or why no password was checked */
export type SmtpLogin = 'checked' | 'not_offered' | 'no_user';

/**
 * Connects, upgrades and authenticates without sending: for the settings dialog. nodemailer's
 * verify() skips the login silently when the server advertises no AUTH, which would report a
 * password as fine that was never checked; this tells the three cases apart.
 */
export async function verifySmtp(
  account: MailAccount,
  options: MailConnectOptions = {},
): Promise<Result<SmtpLogin>> {
  const connection = new SMTPConnection(connectionOptions(account, options));
  const server = { host: account.smtp.host, port: account.smtp.port };
  // failures arrive as 'error' events (a refused port never calls connect's callback): each step
  // below waits for its callback or the next error, whichever comes first
  let fail: (e: unknown) => void = () => undefined;
  connection.on('error', (e: unknown) => fail(e));
  const step = (run: (done: (e?: Error | null) => void) => void) =>
    new Promise<void>((resolve, reject) => {
      fail = reject;
      run((e) => (e ? reject(e) : resolve()));
    });
  try {
    await step((done) => connection.connect(() => done()));
    if (!account.smtp.user) return ok('no_user');
    if (!connection.allowsAuth) return ok('not_offered');
    await step((done) => connection.login({ user: account.smtp.user, pass: account.smtp.password }, done));
    return ok('checked');
  } catch (e) {
    return err(smtpError(e, server));
  } finally {
    fail = () => undefined;
    connection.quit();
    connection.close();
  }
}

function connectionOptions(account: MailAccount, options: MailConnectOptions): SMTPConnection.Options {
  const { smtp } = account;
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    tls: {
      rejectUnauthorized: !options.allowSelfSigned,
      ...(isIP(smtp.host) ? {} : { servername: smtp.host }),
    },
    connectionTimeout: connectTimeout,
    greetingTimeout: connectTimeout,
    socketTimeout: options.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS,
    logger: false,
    debug: false,
  };
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
