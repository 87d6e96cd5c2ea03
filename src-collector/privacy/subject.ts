import { randomUUID } from 'node:crypto';
import { subjectKey, type ErasureOutcome, type LegalHold } from '../../src-shared/privacy';
import type { SubjectPart } from '../store/subject/types';
import type { Store } from '../store/types';

/**
 * Subject access and erasure (issue 17 part 2, docs/privacy.md): walks the store's subject
 * parts (`Store.privacy.subjectParts`), one per aggregate. The orchestrator knows no table; a
 * new aggregate that holds addresses adds its part to that list.
 */

export const SUBJECT_EXPORT_FORMAT = 'blitz-subject-export/1';

export interface SubjectExport {
  format: typeof SUBJECT_EXPORT_FORMAT;
  account: string;
  email: string;
  exportedAt: string;
  /** the legal hold on the address, if any */
  hold: LegalHold | null;
  retentionDays: number;
  /** rows per kind (the parts' `kind`), nothing left out */
  sections: Record<string, Record<string, unknown>[]>;
}

type PrivacyStoreView = Pick<Store, 'privacy'>;

function parts(store: PrivacyStoreView): readonly SubjectPart[] {
  return store.privacy.subjectParts;
}

export async function exportSubject(
  store: PrivacyStoreView,
  req: { accountId: string; email: string; now?: Date },
): Promise<SubjectExport> {
  const email = subjectKey(req.email);
  const sections: Record<string, Record<string, unknown>[]> = {};
  for (const p of parts(store)) sections[p.kind] = await p.exportSubject(req.accountId, email);
  return {
    format: SUBJECT_EXPORT_FORMAT,
    account: req.accountId,
    email,
    exportedAt: (req.now ?? new Date()).toISOString(),
    hold: await store.privacy.hold(req.accountId, email),
    retentionDays: await store.privacy.retentionDays(req.accountId),
    sections,
  };
}

/** the display names the account's messages give the address (to mask them in the log too) */
function namesIn(messages: readonly Record<string, unknown>[], email: string): string[] {
  const names = new Set<string>();
  for (const m of messages) {
    const rs = Array.isArray(m.recipients) ? (m.recipients as { email?: unknown; name?: unknown }[]) : [];
    for (const r of rs) {
      if (typeof r.email === 'string' && subjectKey(r.email) === email && typeof r.name === 'string' && r.name.trim())
        names.add(r.name.trim());
    }
  }
  return [...names];
}

/** the reason as logged: the address and the names replaced, whatever their letter case */
export function maskReason(reason: string, secrets: readonly string[]): string {
  let out = reason;
  for (const s of secrets) {
    if (!s) continue;
    const re = new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    out = out.replace(re, '[…]');
  }
  return out;
}

export interface EraseRequest {
  accountId: string;
  email: string;
  reason: string;
  cause?: 'request' | 'retention';
  now?: Date;
}

/**
 * Removes everything about the address unless a legal hold keeps it: then nothing is removed and
 * `kept` says what per kind. The log entry names no address: a random id, the masked reason and
 * the counts.
 */
export async function eraseSubject(store: PrivacyStoreView, req: EraseRequest): Promise<ErasureOutcome & { logId?: string }> {
  const email = subjectKey(req.email);
  const hold = await store.privacy.hold(req.accountId, email);
  if (hold) {
    const kept: ErasureOutcome['kept'] = [];
    for (const p of parts(store)) {
      const count = (await p.exportSubject(req.accountId, email)).length;
      if (count > 0) kept.push({ kind: p.kind, count, hold: hold.reason });
    }
    return { erased: {}, kept };
  }
  const messagesPart = parts(store).find((p) => p.kind === 'messages');
  const names = messagesPart ? namesIn(await messagesPart.exportSubject(req.accountId, email), email) : [];
  const erased: Record<string, number> = {};
  for (const p of parts(store)) {
    const n = await p.eraseSubject(req.accountId, email);
    if (n > 0) erased[p.kind] = n;
  }
  const logId = randomUUID();
  await store.privacy.logErasure({
    id: logId,
    accountId: req.accountId,
    erasedAt: (req.now ?? new Date()).toISOString(),
    cause: req.cause ?? 'request',
    reason: maskReason(req.reason, [email, ...names]),
    counts: erased,
  });
  return { erased, kept: [], logId };
}
