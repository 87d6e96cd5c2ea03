import {
  EVIDENCE_FORMAT,
  type ChainRecord,
  type ChainSegment,
  type EvidenceFile,
  type ExportManifest,
  type ExportedRecord,
  type SignedHead,
  type SignedHeadBody,
} from '../../src-shared/evidence/format';
import type { StoredSignedHead } from '../store/evidence/types';
import type { Store } from '../store/types';
import type { EvidenceKey } from './key';

export interface ExportRequest {
  accountId: string;
  email: string;
  /** only the records of this offer's message */
  messageId?: string;
  offerId?: string;
  /** an agent's export: only records of messages this user sent */
  senderUserId?: string;
  now?: Date;
}

export type ExportOutcome =
  | { ok: true; file: EvidenceFile; records: ChainRecord[] }
  | { ok: false; code: 'not_signed_yet'; position: number };

/**
 * nachweis.json for one address (docs/evidence.md): the records about it, each with its place,
 * for each run of them the hashes from the first up to the first signed head at or after it,
 * those heads, and the list of records signed at export time (so a dropped record shows).
 * The chain must have been signed past the last record (EvidenceChainer.flush).
 */
export async function buildEvidenceFile(
  store: Pick<Store, 'evidenceChain' | 'sendersOf'>,
  key: EvidenceKey,
  req: ExportRequest,
): Promise<ExportOutcome> {
  const chain = store.evidenceChain;
  const email = req.email.trim().toLowerCase();
  const about = await chain.recordsAbout(req.accountId, email, { messageId: req.messageId });
  // an agent sees only records of messages they sent (the same rule as their events)
  const senders = req.senderUserId
    ? await store.sendersOf(about.flatMap((r) => (r.messageId ? [r.messageId] : [])))
    : null;
  const rows = senders
    ? about.filter((r) => r.messageId !== null && senders.get(r.messageId) === req.senderUserId)
    : about;
  const heads = rows.length > 0 ? await chain.signedHeads(req.accountId, rows[0]!.position) : [];
  // each record's proof ends at the first signed head at or after it
  const byHead = new Map<number, { head: StoredSignedHead; first: number }>();
  const headOf: number[] = [];
  let h = 0;
  for (const r of rows) {
    while (h < heads.length && heads[h]!.position < r.position) h++;
    const head = heads[h];
    if (!head) return { ok: false, code: 'not_signed_yet', position: r.position };
    headOf.push(head.position);
    if (!byHead.has(head.position)) byHead.set(head.position, { head, first: r.position });
  }
  const segments: ChainSegment[] = [];
  const segmentIndex = new Map<number, number>();
  const usedHeads: SignedHead[] = [];
  for (const [position, { head, first }] of byHead) {
    segmentIndex.set(position, segments.length);
    segments.push({
      from: first,
      previousLink: await chain.linkAt(req.accountId, first - 1),
      recordHashes: await chain.hashes(req.accountId, first, position),
      head: position,
    });
    usedHeads.push({
      head: JSON.parse(head.head) as SignedHeadBody,
      signature: head.signature,
      ...(head.timestamp ? { timestamp: head.timestamp } : {}),
    });
  }
  const records: ChainRecord[] = [];
  const exported: ExportedRecord[] = rows.map((r, i) => {
    const record = JSON.parse(r.record) as ChainRecord;
    records.push(record);
    return { position: r.position, recordHash: r.recordHash, segment: segmentIndex.get(headOf[i]!)!, record };
  });
  const exportedAt = (req.now ?? new Date()).toISOString();
  const manifest: ExportManifest = {
    v: 1,
    format: EVIDENCE_FORMAT,
    account: req.accountId,
    email,
    offerId: req.offerId ?? null,
    exportedAt,
    keyFingerprint: key.fingerprint,
    records: rows.map((r) => ({ position: r.position, recordHash: r.recordHash })),
  };
  return {
    ok: true,
    records,
    file: {
      format: EVIDENCE_FORMAT,
      account: req.accountId,
      email,
      offerId: req.offerId ?? null,
      exportedAt,
      key: { algorithm: 'Ed25519', publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint },
      records: exported,
      segments,
      heads: usedHeads,
      manifest,
      manifestSignature: key.signCanonical(manifest),
    },
  };
}
