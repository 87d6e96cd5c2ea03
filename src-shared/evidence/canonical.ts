import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The hashing rules of the Nachweisakte (docs/evidence.md), shared by the collector that builds
 * the chain and the offline verifier that checks it.
 *
 * - canonical form: RFC 8785 (JCS), UTF-8 — the file's whitespace and key order do not matter
 * - record hash: SHA-256 over the canonical form of the record, lowercase hex
 * - chain link: SHA-256 over the 32 bytes of the previous link followed by the 32 bytes of the
 *   record hash; the link before position 1 is 32 zero bytes (GENESIS_LINK)
 */
export const GENESIS_LINK = '0'.repeat(64);

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function recordHash(record: unknown): string {
  return sha256Hex(canonicalJson(record));
}

export function chainLink(previousLink: string, recordHashHex: string): string {
  return createHash('sha256')
    .update(Buffer.from(previousLink, 'hex'))
    .update(Buffer.from(recordHashHex, 'hex'))
    .digest('hex');
}

/** SHA-256 of the DER (SubjectPublicKeyInfo) of the public key, `sha256:` + hex */
export function keyFingerprint(spkiDer: Buffer): string {
  return `sha256:${sha256Hex(spkiDer)}`;
}
