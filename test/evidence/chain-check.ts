import { createPublicKey, verify } from 'node:crypto';
import { chainLink, GENESIS_LINK, sha256Hex } from '../../src-shared/evidence/canonical';

export interface ChainRow {
  position: number;
  ref: string;
  record: string;
  record_hash: string;
  link: string;
}
export interface HeadRow {
  position: number;
  link: string;
  head: string;
  signature: string;
}

/**
 * The whole chain of one account as stored, checked from position 1: contiguous, each record's
 * hash, each link, the head row at the end, every signed head's link and signature. Returns what
 * is wrong (empty when it holds).
 */
export function checkStoredChain(
  rows: ChainRow[],
  head: { position: number; link: string } | undefined,
  signed: HeadRow[],
  publicKeyPem: string,
): string[] {
  const problems: string[] = [];
  let link = GENESIS_LINK;
  const links = new Map<number, string>();
  rows.forEach((r, i) => {
    if (r.position !== i + 1) problems.push(`position ${r.position} at index ${i}`);
    // an erased record (issue 17) keeps its hash and link, not its content
    const erased = r.record === '' && r.ref === `erased:${r.position}`;
    if (!erased && sha256Hex(r.record) !== r.record_hash) problems.push(`hash of ${r.position}`);
    link = chainLink(link, r.record_hash);
    if (link !== r.link) problems.push(`link of ${r.position}`);
    links.set(r.position, r.link);
  });
  if ((head?.position ?? 0) !== rows.length) problems.push(`head at ${head?.position}, chain has ${rows.length}`);
  if (head && rows.length > 0 && head.link !== link) problems.push('head link');
  const key = createPublicKey(publicKeyPem);
  for (const s of signed) {
    if (links.get(s.position) !== s.link) problems.push(`signed head ${s.position} link`);
    if (!verify(null, Buffer.from(s.head), key, Buffer.from(s.signature, 'base64')))
      problems.push(`signed head ${s.position} signature`);
  }
  return problems;
}
