import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson, keyFingerprint } from '../../src-shared/evidence/canonical';
import { makePrivateDir, makePrivateFile, PRIVATE_FILE_MODE } from '../../src-shared/private-fs';

/** The collector's Ed25519 evidence key: signs chain heads and export manifests. */
export interface EvidenceKey {
  file: string;
  publicKeyPem: string;
  /** `sha256:` + hex of the public key's DER (SubjectPublicKeyInfo) */
  fingerprint: string;
  /** Ed25519 over the UTF-8 canonical JSON of `body`, base64 */
  signCanonical(body: unknown): string;
}

/**
 * Reads the private key (PKCS#8 PEM) from `file`, or creates it there 0600 on first start. Two
 * instances starting at once on a shared folder: the exclusive create lets one win and the other
 * read the winner's key, so every instance signs with the same one.
 */
export function loadOrCreateEvidenceKey(file: string): EvidenceKey {
  makePrivateDir(dirname(file));
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const { privateKey } = generateKeyPairSync('ed25519');
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    try {
      writeFileSync(file, pem, { flag: 'wx', mode: PRIVATE_FILE_MODE });
    } catch (w) {
      if ((w as NodeJS.ErrnoException).code !== 'EEXIST') throw w;
      pem = readFileSync(file, 'utf8');
    }
  }
  makePrivateFile(file);
  return fromPrivatePem(file, pem);
}

function fromPrivatePem(file: string, pem: string): EvidenceKey {
  const privateKey: KeyObject = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 key`);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    file,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    fingerprint: keyFingerprint(der),
    signCanonical: (body) => sign(null, Buffer.from(canonicalJson(body)), privateKey).toString('base64'),
  };
}

/** Where the key lives unless BLITZ_EVIDENCE_KEY says otherwise: beside the SQLite file, or ./ */
export function defaultEvidenceKeyFile(sqliteFile: string | undefined, env = process.env): string {
  if (env.BLITZ_EVIDENCE_KEY) return env.BLITZ_EVIDENCE_KEY;
  return sqliteFile && sqliteFile !== ':memory:' ? `${sqliteFile}.evidence-key.pem` : 'blitz-evidence-key.pem';
}
