import { isIP } from 'node:net';
import { msg } from '../../../src-shared/messages';
import type { AppError } from '../../../src-shared/result';

/**
 * Where the collector token may be sent: https anywhere, plain http only to this computer (the
 * local test mode and development). Anything else (file:, data:, javascript:, ftp:, http to
 * another host) would carry the token in the clear or to something that is no collector.
 */
export function collectorUrlProblem(url: string): AppError | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return refused(url, 'not a URL');
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && isLoopback(u.hostname)) return null;
  return refused(url, u.protocol === 'http:' ? 'http only on loopback' : `scheme ${u.protocol} not allowed`);
}

function refused(url: string, why: string): AppError {
  return {
    code: 'collector_url_not_allowed',
    message: msg('collectorUrlNotAllowed'),
    detail: `${url.slice(0, 200)}: ${why}`,
  };
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}
