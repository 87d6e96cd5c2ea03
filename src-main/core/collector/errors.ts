import { msg } from '../../../src-shared/messages';
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
    // what happens next (a retry or not) is the caller's to say: the outbox retries, a button does not
    message: msg('collectorUnreachable'),
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
      message: msg('collectorUnauthorized'),
      detail,
      status,
      transient: false,
    };
  }
  if (status === 403 && body?.code === 'tracking_disabled') {
    return {
      code: 'tracking_disabled',
      message: msg('trackingDisabled'),
      detail,
      status,
      transient: false,
    };
  }
  if (status === 403) {
    return {
      code: 'collector_forbidden',
      message: msg('collectorForbidden'),
      detail,
      status,
      transient: false,
    };
  }
  if (status === 429 || status === 503) {
    return {
      code: status === 429 ? 'collector_rate_limited' : 'collector_unavailable',
      message: msg('collectorBusy'),
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
      message: msg('collectorServerError'),
      detail,
      status,
      transient: true,
    };
  }
  if (status === 404 && body?.code) {
    // the collector's own sentence stays in the detail: the agent reads ours, in their language
    return { code: body.code, message: msg('collectorNotFound'), detail, status, transient: false };
  }
  return {
    code: body?.code ?? 'collector_rejected',
    message: msg('collectorRejected', { status }),
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
