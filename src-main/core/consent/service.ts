import type { ConsentMode, ConsentSettings, ContactConsent } from '../../../src-shared/consent';
import { DEFAULT_CONSENT_SETTINGS } from '../../../src-shared/consent';
import { msg } from '../../../src-shared/messages';
import { err, ok, type AppError, type Result } from '../../../src-shared/result';
import type { CoreLogger } from '../api';
import type { Cache } from '../cache';
import type { CollectorClient } from '../collector/client';

/** where the account's consent settings and the contacts' sync cursor live in meta */
export const CONSENT_KEYS = {
  settings: 'consent.settings',
  cursor: 'consent.cursor',
} as const;

/** the pull is cheap but not free: at most this often after the event sync's passes */
const POLL_EVERY_MS = 5_000;
const PAGE = 1000;

export interface ConsentServiceDeps {
  cache: Cache;
  collector(): CollectorClient | null;
  log: CoreLogger;
  /** a contact's mode, consent or the account's consent settings changed here */
  onChanged(): void;
}

/**
 * Issue 17: the contacts' tracking modes and the account's consent settings, as the collector
 * has them. The collector decides per recipient when a message is registered; this copy is what
 * the UI shows, pulled by version after the event sync's passes (so a consent given on the page
 * reaches every desktop of the account) and written through the collector, never only here.
 */
export function createConsentService(deps: ConsentServiceDeps) {
  const { cache, log } = deps;
  let lastPoll = 0;
  let running: Promise<void> | null = null;

  function settings(): ConsentSettings | null {
    return cache.meta.get<ConsentSettings>(CONSENT_KEYS.settings) ?? null;
  }

  async function pull(client: CollectorClient): Promise<void> {
    let changed = false;
    const s = await client.getSettings();
    if (s.ok) {
      const next: ConsentSettings = { ...DEFAULT_CONSENT_SETTINGS, ...definedOnly(s.value) };
      if (JSON.stringify(next) !== JSON.stringify(settings())) {
        cache.meta.set(CONSENT_KEYS.settings, next);
        changed = true;
      }
    }
    for (let i = 0; i < 1000; i++) {
      const after = cache.meta.get<number>(CONSENT_KEYS.cursor) ?? 0;
      const page = await client.contactsConsent(after, PAGE);
      if (!page.ok) {
        log.warn({ code: page.error.code }, 'consent: contacts not pulled');
        break;
      }
      if (page.value.contacts.length === 0) break;
      cache.tx(() => {
        cache.consent.apply(page.value.contacts);
        cache.meta.set(CONSENT_KEYS.cursor, page.value.next);
      });
      changed = true;
      if (page.value.contacts.length < PAGE) break;
    }
    if (changed) deps.onChanged();
  }

  return {
    settings,
    /** pulls what changed; at most every few seconds unless forced; never rejects */
    async poll(force = false): Promise<void> {
      const client = deps.collector();
      if (!client) return;
      if (!force && Date.now() - lastPoll < POLL_EVERY_MS) return;
      if (running) return running;
      lastPoll = Date.now();
      running = pull(client)
        .catch((e: unknown) =>
          log.warn({ err: e instanceof Error ? e.message : String(e) }, 'consent: pull failed'),
        )
        .finally(() => {
          running = null;
        });
      return running;
    },
    async setMode(email: string, mode: ConsentMode | null): Promise<Result<ContactConsent>> {
      const client = deps.collector();
      if (!client) return err({ code: 'collector_not_configured', message: msg('consentNeedsCollector') });
      const r = await client.setContactMode(email, mode);
      if (!r.ok) return err(wrap(r.error, 'consentNotSaved'));
      cache.consent.apply([r.value]);
      deps.onChanged();
      return ok(r.value);
    },
    async putSettings(update: Partial<ConsentSettings>): Promise<Result<ConsentSettings>> {
      const client = deps.collector();
      if (!client) return err({ code: 'collector_not_configured', message: msg('consentNeedsCollector') });
      const r = await client.putSettings(update);
      if (!r.ok)
        return err(
          r.error.status === 403
            ? { ...r.error, message: msg('onlyAdminAccountSetting') }
            : wrap(r.error, 'consentSettingsNotSaved'),
        );
      const next: ConsentSettings = { ...DEFAULT_CONSENT_SETTINGS, ...definedOnly(r.value) };
      cache.meta.set(CONSENT_KEYS.settings, next);
      deps.onChanged();
      return ok(next);
    },
  };
}
export type ConsentService = ReturnType<typeof createConsentService>;

function definedOnly(s: Partial<ConsentSettings>): Partial<ConsentSettings> {
  const out: Partial<ConsentSettings> = {};
  if (s.consentDefault !== undefined) out.consentDefault = s.consentDefault;
  if (s.trackOpens !== undefined) out.trackOpens = s.trackOpens;
  if (s.trackClicks !== undefined) out.trackClicks = s.trackClicks;
  if (s.trackLanding !== undefined) out.trackLanding = s.trackLanding;
  if (s.withdrawalLink !== undefined) out.withdrawalLink = s.withdrawalLink;
  return out;
}

function wrap(
  e: AppError & { status?: number },
  key: 'consentNotSaved' | 'consentSettingsNotSaved',
): AppError {
  return {
    code: e.code,
    message: msg(key),
    detail: e.detail ?? e.code,
    ...(e.transient ? { transient: true } : {}),
  };
}
