import type { MessageSummary } from '../../src-shared/api';
import { canonicalJson, sha256Hex } from '../../src-shared/evidence/canonical';
import type { ChainRecord } from '../../src-shared/evidence/format';
import type { TrackingEvent } from '../../src-shared/events';
import type { NewChainEntry } from '../store/evidence/types';
import type { ConsentRecord } from '../store/consent/types';
import type { PendingConfirmation, PendingOffer } from '../store/offers/types';

/**
 * The facts that go into the chain, each as a ChainRecord (docs/evidence.md, "Records"). A
 * record never holds its own position: its hash is known before the chain lock is taken.
 */
function entry(record: ChainRecord, messageId: string | null, subjects: (string | null | undefined)[]): NewChainEntry {
  const text = canonicalJson(record);
  return {
    ref: record.ref,
    kind: record.kind,
    messageId,
    subjects: [...new Set(subjects.filter((s): s is string => !!s).map((s) => s.toLowerCase()))],
    record: text,
    recordHash: sha256Hex(text),
  };
}

/**
 * A message registration: one record per recipient, naming only that recipient (an export for
 * one prospect must not list the others' addresses), with how many there were.
 */
export function messageRecords(account: string, m: MessageSummary & { seq: number }): NewChainEntry[] {
  return m.recipients.map((r) =>
    entry(
      {
        v: 1,
        account,
        kind: 'message',
        ref: `message:${m.messageId}:${r.email.toLowerCase()}`,
        at: m.createdAt,
        data: {
          messageId: m.messageId,
          seq: m.seq,
          subject: m.subject,
          sentIndividually: m.sentIndividually,
          recipient: { email: r.email, ...(r.name ? { name: r.name } : {}) },
          recipientCount: m.recipients.length,
          userId: m.userId,
        },
      },
      m.messageId,
      [r.email],
    ),
  );
}

/** An event as the API serves it; a revision (new seq) is a new record. */
export function eventRecord(account: string, e: TrackingEvent): NewChainEntry {
  return entry(
    { v: 1, account, kind: 'event', ref: `event:${e.id}@${e.seq}`, at: e.occurredAt, data: { ...e } },
    e.messageId,
    [e.recipientEmail],
  );
}

/** Long texts shown to the prospect are chained as version and SHA-256 of their UTF-8 text. */
function digestTexts(property: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...property };
  for (const k of ['cancellationPolicy', 'terms', 'privacy']) {
    const doc = out[k] as { text?: unknown; version?: unknown } | undefined;
    if (doc && typeof doc.text === 'string') {
      const { text, ...rest } = doc;
      out[k] = { ...rest, sha256: sha256Hex(text) };
    }
  }
  return out;
}

/** An offer as published: the property, its legal texts' versions and hashes, each file's SHA-256. */
export function offerRecord(account: string, o: PendingOffer): NewChainEntry {
  const property = JSON.parse(o.property) as Record<string, unknown>;
  const files = JSON.parse(o.files) as Record<string, unknown>[];
  return entry(
    {
      v: 1,
      account,
      kind: 'offer',
      ref: `offer:${o.id}`,
      at: o.createdAt,
      data: { offerId: o.id, messageId: o.messageId, property: digestTexts(property), files },
    },
    o.messageId,
    o.recipients,
  );
}

/** A legal confirmation as first given: exact wording, its SHA-256, time, full IP, user agent. */
export function confirmationRecord(account: string, c: PendingConfirmation): NewChainEntry {
  return entry(
    { v: 1, account, kind: 'legal_confirmation', ref: `legal:${c.id}`, at: c.confirmedAt, data: { ...c } },
    c.messageId,
    [c.recipientEmail],
  );
}

/**
 * Issue 17: a tracking consent given or withdrawn on the consent page: the exact wording, its
 * SHA-256 and version, time, FULL IP and user agent (like a legal confirmation).
 */
export function consentRecord(account: string, c: ConsentRecord): NewChainEntry {
  return entry(
    {
      v: 1,
      account,
      kind: 'consent',
      ref: `consent:${c.id}`,
      at: c.at,
      data: {
        id: c.id,
        kind: c.kind,
        recipientEmail: c.emailLower,
        messageId: c.messageId,
        wording: c.wording,
        wordingSha256: c.wordingSha256,
        wordingVersion: c.wordingVersion,
        ip: c.ip,
        userAgent: c.userAgent,
      },
    },
    c.messageId,
    [c.emailLower],
  );
}
