import { createHash } from 'node:crypto';
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

/**
 * SHA-256 of default texts shipped earlier. A current version that is one of them was never
 * edited by the agent: when the shipped default changes (as for the statutory wording of issue
 * 13), it becomes a new version; sent offers keep pointing at the one they carried.
 */
const EARLIER_DEFAULTS = new Set(['d04cedc1de02e0bb439a471e68acb5c5ae052184415f2578daa0f094530c07b3']);

/** the current version, created from resources/legal on first use */
export function currentWiderruf(cache: Cache, now = new Date().toISOString()): Result<LegalVersion> {
  const cur = cache.legal.current(KIND);
  if (cur && !EARLIER_DEFAULTS.has(createHash('sha256').update(cur.text, 'utf8').digest('hex')))
    return ok(cur);
  const def = loadDefaultWiderruf();
  if (!def.ok) return cur ? ok(cur) : def;
  return ok(cache.legal.save(KIND, def.value, now));
}

/**
 * The text with the agent's details filled in; `missing` names what is still open. The property
 * („zum Objekt“ in the Muster-Widerrufsformular) is filled when an offer is composed; without
 * one (the legal panel) it stays a marker that is not reported as missing.
 */
export function filledWiderruf(
  cache: Cache,
  v: LegalVersion,
  objekt?: string,
): { text: string; missing: string[] } {
  const profile = agentProfile(cache);
  const account = cache.meta.get<StoredMailAccount>(KEYS.mailAccount);
  return fillPlaceholders(v.text, {
    firma: profile.company || account?.fromName || '',
    anschrift: profile.address,
    telefon: profile.phone,
    email: account?.fromEmail ?? '',
    objekt: objekt ?? '[wird beim Senden eingesetzt]',
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

/* ---- AGB and Datenschutzerklärung: optional, versioned, sent with every offer once stored ---- */

export type AccountDocumentKind = 'agb' | 'datenschutz';

export function accountDocument(cache: Cache, kind: AccountDocumentKind): LegalVersion | null {
  const cur = cache.documents.current(kind);
  return cur && cur.text.trim() !== '' ? cur : null;
}

/** an empty text is a version too: it withdraws the document from offers sent from now on */
export function saveAccountDocument(cache: Cache, kind: AccountDocumentKind, text: string): LegalVersion {
  return cache.documents.save(kind, text.replace(/\r\n?/g, '\n').trim(), new Date().toISOString());
}
