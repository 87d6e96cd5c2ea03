import type { AppError } from '../../../src-shared/result';

/** A collector failure: AppError plus what the caller needs to schedule a retry. */
export interface CollectorError extends AppError {
  /** HTTP status, absent when the collector was not reached */
  status?: number;
  /** from Retry-After on 429/503 */
  retryAfterMs?: number;
}

export function unreachable(url: string, cause: unknown): CollectorError {
  const detail =
    cause instanceof Error ? `${cause.name}: ${cause.message}${causeCode(cause)}` : String(cause);
  return {
    code: 'collector_unreachable',
    message: 'Der Tracking-Server ist nicht erreichbar. Blitz versucht es automatisch erneut.',
    detail: `${url}: ${detail}`,
    transient: true,
  };
}

function causeCode(e: Error): string {
  const c = (e as Error & { cause?: { code?: string } }).cause;
  return c && typeof c.code === 'string' ? ` (${c.code})` : '';
}

export function fromResponse(
  url: string,
  status: number,
  body: { code: string; message: string } | null,
  retryAfter: string | null,
): CollectorError {
  const detail = `${url}: HTTP ${status}${body ? ` ${body.code}: ${body.message}` : ''}`;
  if (status === 401) {
    return {
      code: 'collector_unauthorized',
      message:
        'Der Tracking-Server hat den Zugangsschlüssel abgelehnt. Bitte in den Einstellungen einen gültigen Schlüssel eintragen.',
      detail,
      status,
      transient: false,
    };
  }
  if (status === 403 && body?.code === 'tracking_disabled') {
    return {
      code: 'tracking_disabled',
      message:
        'Das Tracking ist für dieses Konto ausgeschaltet (Verwaltung › Systemeinstellungen › Trackings).',
      detail,
      status,
      transient: false,
    };
  }
  if (status === 403) {
    return {
      code: 'collector_forbidden',
      message: 'Dafür fehlt die Berechtigung (nur für Administratoren).',
      detail,
      status,
      transient: false,
    };
  }
  if (status === 429 || status === 503) {
    return {
      code: status === 429 ? 'collector_rate_limited' : 'collector_unavailable',
      message: 'Der Tracking-Server ist gerade überlastet. Blitz versucht es gleich erneut.',
      detail,
      status,
      transient: true,
      ...(parseRetryAfter(retryAfter) !== null
        ? { retryAfterMs: parseRetryAfter(retryAfter) as number }
        : {}),
    };
  }
  if (status >= 500) {
    return {
      code: 'collector_error',
      message: 'Der Tracking-Server meldet einen Fehler. Blitz versucht es erneut.',
      detail,
      status,
      transient: true,
    };
  }
  if (status === 404 && body?.code) {
    return { code: body.code, message: body.message, detail, status, transient: false };
  }
  return {
    code: body?.code ?? 'collector_rejected',
    message: body?.message ?? `Der Tracking-Server hat die Anfrage abgelehnt (HTTP ${status}).`,
    detail,
    status,
    transient: false,
  };
}

/** seconds or an HTTP date → milliseconds, null when absent or unreadable */
export function parseRetryAfter(v: string | null, now = Date.now()): number | null {
  if (!v) return null;
  const s = Number(v);
  if (Number.isFinite(s) && s >= 0) return Math.round(s * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}
