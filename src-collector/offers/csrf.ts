import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** The page's CSRF token: an HMAC of the tracker token, so nothing has to be stored per page. */
export function csrfToken(secret: Buffer, trackerToken: string): string {
  return createHmac('sha256', secret).update(`landing-csrf:${trackerToken}`).digest('base64url');
}

export function csrfValid(secret: Buffer, trackerToken: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length > 100) return false;
  const want = Buffer.from(csrfToken(secret, trackerToken));
  const got = Buffer.from(given);
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * Same-origin check for the page's POSTs. The pages send `Referrer-Policy: no-referrer`, under
 * which browsers send `Origin: null` for a plain form POST, so Sec-Fetch-Site carries the
 * decision where present; a real Origin must match ours; neither present (old browsers) falls
 * back to the CSRF token alone.
 */
export function sameOrigin(req: FastifyRequest, publicUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin') return false;
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return true;
  const allowed = new Set<string>();
  try {
    allowed.add(new URL(publicUrl).origin);
  } catch {
    // no usable public URL: the Host header is all there is
  }
  const host = req.headers.host;
  if (typeof host === 'string') allowed.add(`${req.protocol}://${host}`);
  return allowed.has(origin);
}
