import { createHash, randomBytes } from 'node:crypto';

/** 144 random bits: a tracker token in a pixel/click URL (matches TOKEN_PATTERN). */
export function newTrackerToken(): string {
  return randomBytes(18).toString('base64url');
}

/** 256 random bits: an API bearer token, shown once and stored only as its SHA-256. */
export function newApiToken(): string {
  return `blz_${randomBytes(32).toString('base64url')}`;
}

export const API_TOKEN_PATTERN = /^blz_[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
