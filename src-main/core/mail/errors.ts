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

export function smtpError(e: unknown): AppError {
  const x = asErrorLike(e);
  const response = typeof x.response === 'string' ? x.response : undefined;
  const detail = [x.code, x.command, response ?? x.message].filter(Boolean).join(' ');
  const rc = x.responseCode;

  if (x.code === 'EAUTH') {
    // 454 is "temporary authentication failure": the server, not the password, is the problem
    const transient = rc !== undefined && rc >= 400 && rc < 500;
    return {
      code: 'smtp_auth_failed',
      message: transient
        ? 'Der SMTP-Server kann die Anmeldung gerade nicht prüfen. Der Versand wird später wiederholt.'
        : 'Anmeldung am SMTP-Server fehlgeschlagen. Bitte Benutzername und Passwort in den Einstellungen prüfen.',
      detail,
      transient,
    };
  }
  if (isCertificateError(x)) {
    return {
      code: 'smtp_tls_certificate',
      message:
        'Das Zertifikat des SMTP-Servers ist nicht vertrauenswürdig. Bitte Servername und Verschlüsselung prüfen.',
      detail,
      transient: false,
    };
  }
  if (x.code === 'ETLS') {
    return {
      code: 'smtp_tls_failed',
      message:
        'Die verschlüsselte Verbindung zum SMTP-Server kam nicht zustande (STARTTLS). Bitte die Verschlüsselung in den Einstellungen prüfen.',
      detail,
      transient: false,
    };
  }
  if (rc !== undefined && rc >= 500) {
    return {
      code: 'smtp_rejected',
      message: `Der SMTP-Server hat die Nachricht abgelehnt: ${response ?? x.message}`,
      detail,
      transient: false,
    };
  }
  if (rc !== undefined && rc >= 400) {
    return {
      code: 'smtp_temporary_failure',
      message: `Der SMTP-Server hat die Nachricht vorübergehend nicht angenommen: ${response ?? x.message}`,
      detail,
      transient: true,
    };
  }
  if (isTimeout(x)) {
    return {
      code: 'smtp_timeout',
      message: 'Der SMTP-Server antwortet nicht (Zeitüberschreitung).',
      detail,
      transient: true,
    };
  }
  if (isNetwork(x) || x.code === 'ECONNECTION' || x.code === 'ESOCKET' || x.code === 'EDNS') {
    return {
      code: 'smtp_unreachable',
      message: 'Der SMTP-Server ist nicht erreichbar. Bitte Servername, Port und Internetverbindung prüfen.',
      detail,
      transient: true,
    };
  }
  return { code: 'smtp_failed', message: `Versand fehlgeschlagen: ${x.message}`, detail, transient: true };
}

export function imapError(e: unknown, doing: string): AppError {
  const x = asErrorLike(e);
  const detail = [x.code, x.serverResponseCode, x.responseText ?? x.message, doing].filter(Boolean).join(' ');
  if (x.authenticationFailed || x.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return {
      code: 'imap_auth_failed',
      message:
        'Anmeldung am IMAP-Server fehlgeschlagen. Bitte Benutzername und Passwort in den Einstellungen prüfen.',
      detail,
      transient: false,
    };
  }
  if (isCertificateError(x)) {
    return {
      code: 'imap_tls_certificate',
      message:
        'Das Zertifikat des IMAP-Servers ist nicht vertrauenswürdig. Bitte Servername und Verschlüsselung prüfen.',
      detail,
      transient: false,
    };
  }
  if (x.tlsFailed) {
    return {
      code: 'imap_tls_failed',
      message:
        'Die verschlüsselte Verbindung zum IMAP-Server kam nicht zustande. Bitte die Verschlüsselung in den Einstellungen prüfen.',
      detail,
      transient: false,
    };
  }
  if (x.serverResponseCode === 'OVERQUOTA' || /quota/i.test(x.responseText ?? '')) {
    return {
      code: 'imap_quota',
      message: 'Das Postfach ist voll: die Kopie konnte nicht im Ordner „Gesendet“ abgelegt werden.',
      detail,
      transient: false,
    };
  }
  if (isTimeout(x)) {
    return {
      code: 'imap_timeout',
      message: 'Der IMAP-Server antwortet nicht (Zeitüberschreitung).',
      detail,
      transient: true,
    };
  }
  if (isNetwork(x) || x.code === 'NoConnection' || x.code === 'EConnectionClosed') {
    return {
      code: 'imap_unreachable',
      message: 'Der IMAP-Server ist nicht erreichbar. Bitte Servername, Port und Internetverbindung prüfen.',
      detail,
      transient: true,
    };
  }
  return {
    code: 'imap_failed',
    message: `Der IMAP-Server meldet einen Fehler: ${x.responseText ?? x.message}`,
    detail,
    transient: true,
  };
}
