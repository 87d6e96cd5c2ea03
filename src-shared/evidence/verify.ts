import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { canonicalJson, chainLink, keyFingerprint, recordHash, sha256Hex } from './canonical';
import { ChainRecord, EvidenceFile, type SignedHead } from './format';
import { timestampImprintMatches } from './timestamp';

/** Why a file does not hold: the first failing record (1-based, file order) where there is one. */
export interface VerifyFailure {
  code: VerifyFailureCode;
  /** 1-based index in `records`, or null when the whole file fails (unreadable, bad key) */
  record: number | null;
  position: number | null;
  detail: string;
}
export type VerifyFailureCode =
  | 'not_json'
  | 'bad_format'
  | 'bad_key'
  | 'key_not_pinned'
  | 'bad_manifest_signature'
  | 'manifest_mismatch'
  | 'record_format'
  | 'record_hash'
  | 'record_account'
  | 'record_order'
  | 'record_missing'
  | 'record_extra'
  | 'not_in_segment'
  | 'segment_broken'
  | 'head_signature'
  | 'head_missing'
  | 'timestamp';

export interface VerifySuccess {
  records: number;
  heads: number;
  timestamps: number;
  fingerprint: string;
  account: string;
  email: string;
}

export type VerifyResult = { ok: true; value: VerifySuccess } | { ok: false; error: VerifyFailure };

const fail = (
  code: VerifyFailureCode,
  detail: string,
  record: number | null = null,
  position: number | null = null,
): VerifyResult => ({ ok: false, error: { code, record, position, detail } });

/**
 * Checks a nachweis.json offline (docs/evidence.md, "How to verify"): every record's hash, its
 * place in a chain segment, each segment's links up to a signed head, every signature, the signed
 * list of records. `pinnedKeyPem` (the PEM the collector serves) must be the file's key.
 */
export function verifyEvidence(text: string, pinnedKeyPem?: string): VerifyResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail('not_json', e instanceof Error ? e.message : String(e));
  }
  const parsed = EvidenceFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const at = path[0] === 'records' && typeof path[1] === 'number' ? path[1] + 1 : null;
    return fail('bad_format', `${path.join('.')}: ${issue?.message ?? 'invalid'}`, at);
  }
  const file = parsed.data;
  // the records as written, not as zod rebuilt them: the hash is over exactly what the file says
  const rawRecords = (raw as { records: { record: unknown }[] }).records.map((r) => r.record);

  let key: KeyObject;
  try {
    key = createPublicKey(file.key.publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') return fail('bad_key', 'key is not Ed25519');
  } catch (e) {
    return fail('bad_key', e instanceof Error ? e.message : String(e));
  }
  const der = key.export({ type: 'spki', format: 'der' });
  const fingerprint = keyFingerprint(der);
  if (fingerprint !== file.key.fingerprint)
    return fail('bad_key', `fingerprint ${file.key.fingerprint} does not match the key (${fingerprint})`);
  if (pinnedKeyPem !== undefined) {
    let pinned: Buffer;
    try {
      pinned = createPublicKey(pinnedKeyPem).export({ type: 'spki', format: 'der' });
    } catch (e) {
      return fail('bad_key', `pinned key: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!pinned.equals(der)) {
      return fail(
        'key_not_pinned',
        `signed with ${fingerprint}, not with the pinned key ${keyFingerprint(pinned)}`,
        file.records.length > 0 ? 1 : null,
        file.records[0]?.position ?? null,
      );
    }
  }
  const signedBy = (body: unknown, signature: string): boolean => {
    try {
      return verifySignature(null, Buffer.from(canonicalJson(body)), key, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  };

  if (!signedBy(file.manifest, file.manifestSignature))
    return fail('bad_manifest_signature', 'the list of records is not signed by the key');
  const m = file.manifest;
  if (
    m.account !== file.account ||
    m.email !== file.email ||
    m.offerId !== file.offerId ||
    m.keyFingerprint !== fingerprint
  )
    return fail('manifest_mismatch', 'account, address, offer or key differ from the signed list');

  // heads: position → why it does not hold (absent = holds)
  const heads = new Map<number, SignedHead>();
  const badHeads = new Map<number, string>();
  let timestamps = 0;
  for (const h of file.heads) {
    const p = h.head.position;
    heads.set(p, h);
    if (h.head.account !== file.account) badHeads.set(p, `head ${p} is of account ${h.head.account}`);
    else if (h.head.keyFingerprint !== fingerprint) badHeads.set(p, `head ${p} names another key`);
    else if (!signedBy(h.head, h.signature)) badHeads.set(p, `signature of head ${p} does not hold`);
    else if (h.timestamp) {
      const imprint = sha256Hex(canonicalJson(h.head));
      if (!timestampImprintMatches(h.timestamp.response, imprint))
        badHeads.set(p, `timestamp of head ${p} is not over this head`);
      else timestamps++;
    }
  }

  // segments: index → why it does not hold
  const badSegments = new Map<number, { code: VerifyFailureCode; detail: string }>();
  file.segments.forEach((s, i) => {
    const end = s.from + s.recordHashes.length - 1;
    if (end !== s.head) {
      badSegments.set(i, { code: 'segment_broken', detail: `segment ${i} ends at ${end}, not at head ${s.head}` });
      return;
    }
    let link = s.previousLink;
    for (let k = 0; k < s.recordHashes.length; k++) {
      link = chainLink(link, s.recordHashes[k]!);
      const at = s.from + k;
      const h = heads.get(at);
      if (at === s.head && !h) {
        badSegments.set(i, { code: 'head_missing', detail: `no signed head at position ${at}` });
        return;
      }
      if (h && h.head.link !== link) {
        badSegments.set(i, {
          code: 'segment_broken',
          detail: `chain links up to position ${at} do not end in the signed head's link`,
        });
        return;
      }
      if (h && badHeads.has(at)) {
        badSegments.set(i, { code: 'head_signature', detail: badHeads.get(at)! });
        return;
      }
    }
  });

  let lastPosition = 0;
  for (let i = 0; i < file.records.length; i++) {
    const n = i + 1;
    const entry = file.records[i]!;
    const listed = m.records[i];
    if (!listed) return fail('record_extra', 'not in the signed list of records', n, entry.position);
    if (listed.position !== entry.position)
      return fail(
        listed.position < entry.position ? 'record_missing' : 'record_order',
        `the signed list has position ${listed.position} here`,
        n,
        entry.position,
      );
    if (entry.position <= lastPosition)
      return fail('record_order', `position ${entry.position} after ${lastPosition}`, n, entry.position);
    lastPosition = entry.position;
    const rec = ChainRecord.safeParse(rawRecords[i]);
    if (!rec.success) return fail('record_format', rec.error.issues[0]?.message ?? 'invalid', n, entry.position);
    let hash: string;
    try {
      hash = recordHash(rawRecords[i]);
    } catch (e) {
      return fail('record_format', e instanceof Error ? e.message : String(e), n, entry.position);
    }
    if (hash !== entry.recordHash || hash !== listed.recordHash)
      return fail('record_hash', `SHA-256 of the record is ${hash}`, n, entry.position);
    if (rec.data.account !== file.account)
      return fail('record_account', `record of account ${rec.data.account}`, n, entry.position);
    const seg = file.segments[entry.segment];
    if (!seg) return fail('not_in_segment', `no segment ${entry.segment}`, n, entry.position);
    const k = entry.position - seg.from;
    if (k < 0 || k >= seg.recordHashes.length || seg.recordHashes[k] !== hash)
      return fail('not_in_segment', `segment ${entry.segment} does not hold this record's hash`, n, entry.position);
    const bad = badSegments.get(entry.segment);
    if (bad) return fail(bad.code, bad.detail, n, entry.position);
  }
  if (m.records.length > file.records.length) {
    const missing = m.records[file.records.length]!;
    return fail('record_missing', 'in the signed list but not in the file', file.records.length + 1, missing.position);
  }
  return {
    ok: true,
    value: {
      records: file.records.length,
      heads: file.heads.length,
      timestamps,
      fingerprint,
      account: file.account,
      email: file.email,
    },
  };
}
