import type { ConsentMode, ConsentSettings, ConsentState, ContactConsent } from '../../../src-shared/consent';
import type { ConsentRecord } from './types';

/** row → record for both dialects (SQLite gives text and 0/1, PostgreSQL Date and booleans) */
export interface ContactRow<T> {
  email_lower: string;
  mode: string | null;
  consent_state: string;
  consent_at: T | null;
  updated_at: T;
  version: number;
}

export function contactFromRow<T>(r: ContactRow<T>, iso: (t: T) => string): ContactConsent {
  return {
    email: r.email_lower,
    mode: r.mode as ConsentMode | null,
    state: r.consent_state as ConsentState,
    stateAt: r.consent_at === null ? null : iso(r.consent_at),
    updatedAt: iso(r.updated_at),
    version: Number(r.version),
  };
}

export interface SettingsRow<B> {
  default_mode: string;
  track_opens: B;
  track_clicks: B;
  track_landing: B;
  withdrawal_link: B;
}

export function settingsFromRow<B>(r: SettingsRow<B>, bool: (b: B) => boolean): ConsentSettings {
  return {
    consentDefault: r.default_mode as ConsentMode,
    trackOpens: bool(r.track_opens),
    trackClicks: bool(r.track_clicks),
    trackLanding: bool(r.track_landing),
    withdrawalLink: bool(r.withdrawal_link),
  };
}

export interface ConsentRecordRow<T> {
  id: string;
  account_id: string;
  email_lower: string;
  kind: string;
  message_id: string | null;
  token: string | null;
  wording: string;
  wording_sha256: string;
  wording_version: string;
  at: T;
  ip: string;
  user_agent: string;
}

export function consentRecordFromRow<T>(r: ConsentRecordRow<T>, iso: (t: T) => string): ConsentRecord {
  return {
    id: r.id,
    accountId: r.account_id,
    emailLower: r.email_lower,
    kind: r.kind as ConsentRecord['kind'],
    messageId: r.message_id,
    token: r.token,
    wording: r.wording,
    wordingSha256: r.wording_sha256,
    wordingVersion: r.wording_version,
    at: iso(r.at),
    ip: r.ip,
    userAgent: r.user_agent,
  };
}

/** the settings columns a partial update names, in the tables' names */
export function settingsColumns(u: Partial<ConsentSettings>): [string, string | boolean][] {
  const out: [string, string | boolean][] = [];
  if (u.consentDefault !== undefined) out.push(['default_mode', u.consentDefault]);
  if (u.trackOpens !== undefined) out.push(['track_opens', u.trackOpens]);
  if (u.trackClicks !== undefined) out.push(['track_clicks', u.trackClicks]);
  if (u.trackLanding !== undefined) out.push(['track_landing', u.trackLanding]);
  if (u.withdrawalLink !== undefined) out.push(['withdrawal_link', u.withdrawalLink]);
  return out;
}
