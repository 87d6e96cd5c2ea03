import { msg, type MessageKey } from '../../../src-shared/messages';
import type { AppError } from '../../../src-shared/result';

/** Node/TLS error codes that say the certificate could not be trusted. */
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_NOT_YET_VALID',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND', // also what an offline laptop reports: retry rather than give up
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
]);

interface ErrorLike {
  message: string;
  code?: string;
  errno?: string | number;
  responseCode?: number;
  response?: unknown;
  command?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  serverResponseCode?: string;
  responseText?: string;
  cause?: unknown;
}

export function asErrorLike(e: unknown): ErrorLike {
  if (e && typeof e === 'object' && 'message' in e) return e as ErrorLike;
  return { message: String(e) };
}

/** Every code found on the error or its causes: nodemailer wraps socket errors. */
function codes(e: ErrorLike): string[] {
  const out: string[] = [];
  for (let c: unknown = e, depth = 0; c && typeof c === 'object' && depth < 4; depth++) {
    const x = c as ErrorLike;
    if (typeof x.code === 'string') out.push(x.code);
    c = x.cause ?? (x as { _err?: unknown })._err;
  }
  return out;
}

function isCertificateError(e: ErrorLike): boolean {
  return codes(e).some((c) => CERT_CODES.has(c)) || /certificate|self[- ]signed/i.test(e.message);
}

function isTimeout(e: ErrorLike): boolean {
  return codes(e).some((c) => /TIMEOUT|ETIMEDOUT/i.test(c)) || /timeout|timed out/i.test(e.message);
}

function isNetwork(e: ErrorLike): boolean {
  return (
    codes(e).some((c) => NETWORK_CODES.has(c)) ||
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN/.test(e.message)
  );
}

/** where a connection went, for the explanations that name it */
export interface ServerRef {
  host: string;
  port: number;
}

/**
 * What an SMTP reply means, in the agent's words: by the enhanced status code (RFC 3463) when the
 * server sends one, else by the basic code (RFC 5321). The raw reply goes to `detail`.
 */
export function explainSmtpReply(responseCode: number, response: string): MessageKey {
  const enhanced = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(response);
  const subject = enhanced ? `${enhanced[2]}.${enhanced[3]}` : '';
  const text = response.toLowerCase();
  if (responseCode === 530 && /starttls|tls/.test(text)) return 'smtpTlsRequired';
  if (responseCode === 530 || (subject === '7.0' && /auth/.test(text))) return 'smtpAuthRequired';
  if (responseCode === 535 || subject === '7.8') return 'smtpAuthFailed';
  if (responseCode === 454 && /auth/.test(text)) return 'smtpAuthTemporary';
  if (/relay/.test(text) || (subject === '7.1' && /relay|not permitted|access denied/.test(text)))
    return 'smtpRelayDenied';
  if (subject === '1.7' || subject === '1.8' || /sender (address )?(rejected|refused|denied)/.test(text))
    return 'smtpSenderRejected';
  if (
    ['1.1', '1.2', '1.3', '1.6', '1.10', '2.1'].includes(subject) ||
    responseCode === 550 ||
    responseCode === 551
  )
    return 'smtpMailboxUnavailable';
  if (subject === '2.2' || (responseCode === 452 && /mailbox|quota|full/.test(text)))
    return 'smtpMailboxFull';
  if (subject === '3.4' || subject === '2.3' || responseCode === 552) return 'smtpMessageTooBig';
  if (subject.startsWith('7.') || responseCode === 554) return 'smtpPolicyRejected';
  if (responseCode === 421) return 'smtpServiceUnavailable';
  if (responseCode === 553) return 'smtpSenderRejected';
  return responseCode >= 500 ? 'smtpRejected' : 'smtpTemporary';
}

export function smtpError(e: unknown, server?: ServerRef): AppError {
  const x = asErrorLike(e);
  const response = typeof x.response === 'string' ? x.response : undefined;
  const detail = [x.code, x.command, response ?? x.message].filter(Boolean).join(' ');
  const rc = x.responseCode;
  const where = { host: server?.host ?? '', port: server?.port ?? '' };

  if (x.code === 'EAUTH') {
    // 454 is "temporary authentication failure": the server, not the password, is the problem
    const transient = rc !== undefined && rc >= 400 && rc < 500;
    const key: MessageKey = transient
      ? 'smtpAuthTemporary'
      : rc === 530 && /tls/i.test(response ?? '')
        ? 'smtpTlsRequired'
        : rc === 530
          ? 'smtpAuthRequired'
          : 'smtpAuthFailed';
    return { code: 'smtp_auth_failed', message: msg(key), detail, transient };
  }
  if (isCertificateError(x)) {
    return { code: 'smtp_tls_certificate', message: msg('smtpTlsCertificate'), detail, transient: false };
  }
  if (x.code === 'ETLS') {
    return { code: 'smtp_tls_failed', message: msg('smtpTlsFailed'), detail, transient: false };
  }
  if (rc !== undefined && rc >= 500) {
    return {
      code: 'smtp_rejected',
      message: msg(explainSmtpReply(rc, response ?? x.message)),
      detail,
      transient: false,
    };
  }
  if (rc !== undefined && rc >= 400) {
    const key = explainSmtpReply(rc, response ?? x.message);
    return {
      code: 'smtp_temporary_failure',
      message: msg(key === 'smtpMailboxFull' || key === 'smtpServiceUnavailable' ? key : 'smtpTemporary'),
      detail,
      transient: true,
    };
  }
  if (isTimeout(x)) {
    return { code: 'smtp_timeout', message: msg('smtpTimeout'), detail, transient: true };
  }
  const all = codes(x);
  if (all.includes('ECONNREFUSED') || /ECONNREFUSED/.test(x.message)) {
    return {
      code: 'smtp_unreachable',
      message: msg('smtpConnectionRefused', where),
      detail,
      transient: true,
    };
  }
  if (all.includes('ENOTFOUND') || all.includes('EAI_AGAIN') || /ENOTFOUND|EAI_AGAIN/.test(x.message)) {
    return { code: 'smtp_unreachable', message: msg('smtpHostNotFound', where), detail, transient: true };
  }
  if (isNetwork(x) || x.code === 'ECONNECTION' || x.code === 'ESOCKET' || x.code === 'EDNS') {
    return { code: 'smtp_unreachable', message: msg('smtpUnreachable'), detail, transient: true };
  }
  return { code: 'smtp_failed', message: msg('smtpFailed'), detail, transient: true };
}

export function imapError(e: unknown, doing: string, server?: ServerRef): AppError {
  const x = asErrorLike(e);
  const detail = [x.code, x.serverResponseCode, x.responseText ?? x.message, doing].filter(Boolean).join(' ');
  const where = { host: server?.host ?? '', port: server?.port ?? '' };
  if (x.authenticationFailed || x.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return { code: 'imap_auth_failed', message: msg('imapAuthFailed'), detail, transient: false };
  }
  if (isCertificateError(x)) {
    return { code: 'imap_tls_certificate', message: msg('imapTlsCertificate'), detail, transient: false };
  }
  if (x.tlsFailed) {
    return { code: 'imap_tls_failed', message: msg('imapTlsFailed'), detail, transient: false };
  }
  if (x.serverResponseCode === 'OVERQUOTA' || /quota/i.test(x.responseText ?? '')) {
    return { code: 'imap_quota', message: msg('imapQuota'), detail, transient: false };
  }
  if (
    x.serverResponseCode === 'NOPERM' ||
    /permission denied|read-only|not allowed/i.test(x.responseText ?? '')
  ) {
    return { code: 'imap_no_permission', message: msg('imapNoPermission'), detail, transient: false };
  }
  if (x.serverResponseCode === 'TRYCREATE' || x.serverResponseCode === 'NONEXISTENT') {
    return { code: 'imap_no_sent_folder', message: msg('imapFolderMissing'), detail, transient: false };
  }
  if (isTimeout(x)) {
    return { code: 'imap_timeout', message: msg('imapTimeout'), detail, transient: true };
  }
  const all = codes(x);
  if (all.includes('ECONNREFUSED') || /ECONNREFUSED/.test(x.message)) {
    return {
      code: 'imap_unreachable',
      message: msg('imapConnectionRefused', where),
      detail,
      transient: true,
    };
  }
  if (all.includes('ENOTFOUND') || all.includes('EAI_AGAIN') || /ENOTFOUND|EAI_AGAIN/.test(x.message)) {
    return { code: 'imap_unreachable', message: msg('imapHostNotFound', where), detail, transient: true };
  }
  if (isNetwork(x) || x.code === 'NoConnection' || x.code === 'EConnectionClosed') {
    return { code: 'imap_unreachable', message: msg('imapUnreachable'), detail, transient: true };
  }
  return { code: 'imap_failed', message: msg('imapFailed'), detail, transient: true };
}
