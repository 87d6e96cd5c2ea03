import { msg } from '../../../src-shared/messages';
import { AgentProfile, type LegalDto } from '../../../src-shared/ipc';
import { err, ok, type Result } from '../../../src-shared/result';
import type { Cache } from '../cache';
import { KEYS, type StoredMailAccount } from '../settings';
import { loadDefaultWiderruf } from './default-text';
import { versionLabel, type LegalVersion } from './store';
import { fillPlaceholders } from './template';

export const PROFILE_KEY = 'legal.agentProfile';
const KIND = 'widerrufsbelehrung' as const;

export function agentProfile(cache: Cache): AgentProfile {
  const parsed = AgentProfile.safeParse(cache.meta.get(PROFILE_KEY) ?? {});
  return parsed.success ? parsed.data : AgentProfile.parse({});
}

/** the current version, created from resources/legal on first use */
export function currentWiderruf(cache: Cache, now = new Date().toISOString()): Result<LegalVersion> {
  const cur = cache.legal.current(KIND);
  if (cur) return ok(cur);
  const def = loadDefaultWiderruf();
  if (!def.ok) return def;
  return ok(cache.legal.save(KIND, def.value, now));
}

export function widerrufVersion(cache: Cache, version: number): LegalVersion | null {
  return cache.legal.get(KIND, version);
}

/** the text with the agent's details filled in; `missing` names what is still open */
export function filledWiderruf(cache: Cache, v: LegalVersion): { text: string; missing: string[] } {
  const profile = agentProfile(cache);
  const account = cache.meta.get<StoredMailAccount>(KEYS.mailAccount);
  return fillPlaceholders(v.text, {
    firma: profile.company || account?.fromName || '',
    anschrift: profile.address,
    telefon: profile.phone,
    email: account?.fromEmail ?? '',
  });
}

export function legalDto(cache: Cache): Result<LegalDto> {
  const cur = currentWiderruf(cache);
  if (!cur.ok) return cur;
  return ok({
    current: { ...cur.value, label: versionLabel(cur.value) },
    versions: cache.legal.versions(KIND).map((v) => ({ ...v, label: versionLabel(v) })),
    profile: agentProfile(cache),
    missing: filledWiderruf(cache, cur.value).missing,
  });
}

export function saveWiderrufText(cache: Cache, text: string): Result<LegalDto> {
  if (!/widerruf/i.test(text)) {
    return err({
      code: 'legal_text_invalid',
      message: msg('legalNotWiderruf'),
    });
  }
  currentWiderruf(cache);
  cache.legal.save(KIND, text.replace(/\r\n?/g, '\n'), new Date().toISOString());
  return legalDto(cache);
}

export function saveAgentProfile(cache: Cache, profile: AgentProfile): Result<LegalDto> {
  cache.meta.set(PROFILE_KEY, profile);
  return legalDto(cache);
}
