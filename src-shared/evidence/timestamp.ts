import { randomBytes } from 'node:crypto';

/**
 * The parts of RFC 3161 the Nachweisakte needs, without an ASN.1 library: a TimeStampReq for a
 * SHA-256 digest, the status of a TimeStampResp, and whether a response's token is over a given
 * digest. A full check of the TSA's CMS signature needs its certificate chain:
 * `openssl ts -verify` (docs/evidence.md) does that.
 */
const SHA256_ALGORITHM = Buffer.from('300d06096086480165030402010500', 'hex');

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

/** DER TimeStampReq { version 1, messageImprint (SHA-256), nonce, certReq TRUE } */
export function timestampRequest(sha256HexDigest: string): Buffer {
  const digest = Buffer.from(sha256HexDigest, 'hex');
  if (digest.length !== 32) throw new TypeError('expected a SHA-256 digest');
  const nonce = randomBytes(8);
  nonce[0] = nonce[0]! & 0x7f || 1; // positive, minimal
  return tlv(
    0x30,
    Buffer.concat([
      Buffer.from([0x02, 0x01, 0x01]),
      tlv(0x30, Buffer.concat([SHA256_ALGORITHM, tlv(0x04, digest)])),
      tlv(0x02, nonce),
      Buffer.from([0x01, 0x01, 0xff]),
    ]),
  );
}

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function readTlv(buf: Buffer, at: number): Tlv | null {
  if (at + 2 > buf.length) return null;
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const bytes = len & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > buf.length) return null;
    len = 0;
    for (let i = 0; i < bytes; i++) len = len * 256 + buf[start + i]!;
    start += bytes;
  }
  if (start + len > buf.length) return null;
  return { tag, start, end: start + len };
}

/** PKIStatus of a DER TimeStampResp (0 granted, 1 grantedWithMods), or null when unreadable */
export function timestampStatus(response: Buffer): number | null {
  const outer = readTlv(response, 0);
  if (!outer || outer.tag !== 0x30) return null;
  const info = readTlv(response, outer.start);
  if (!info || info.tag !== 0x30) return null;
  const status = readTlv(response, info.start);
  if (!status || status.tag !== 0x02 || status.end - status.start !== 1) return null;
  return response[status.start]!;
}

/**
 * True when the (base64) TimeStampResp was granted and its token's message imprint is the
 * SHA-256 `digest`: the TSTInfo is carried as DER inside the token, so the imprint appears in it
 * verbatim as AlgorithmIdentifier(sha256) followed by OCTET STRING(digest).
 */
export function timestampImprintMatches(responseBase64: string, sha256HexDigest: string): boolean {
  const response = Buffer.from(responseBase64, 'base64');
  const status = timestampStatus(response);
  if (status !== 0 && status !== 1) return false;
  const imprint = Buffer.concat([Buffer.from([0x04, 0x20]), Buffer.from(sha256HexDigest, 'hex')]);
  const withNull = Buffer.concat([SHA256_ALGORITHM, imprint]);
  const withoutNull = Buffer.concat([Buffer.from('300b0609608648016503040201', 'hex'), imprint]);
  return response.includes(withNull) || response.includes(withoutNull);
}
