import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SHA256_HEX, sha256Hex, writeContentAddressed } from '../../../src-shared/content-addressed';

const OWNER_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * A file's bytes on disk: `<root>/<owner>/<sha256>`. Paths come only from a validated owner id
 * and a hash, never from a file name the agent or an OpenImmo export supplied; the write is the
 * shared crash-safe one (src-shared/content-addressed).
 */
export function createBlobFolder(root: string) {
  const dirOf = (owner: string): string => {
    if (!OWNER_ID.test(owner)) throw new Error(`invalid owner id ${JSON.stringify(owner)}`);
    return join(root, owner);
  };
  const pathOf = (owner: string, sha: string): string => {
    if (!SHA256_HEX.test(sha)) throw new Error('not a SHA-256 hex id');
    return join(dirOf(owner), sha);
  };
  return {
    root,
    path: pathOf,
    put(owner: string, bytes: Buffer): string {
      const sha = sha256Hex(bytes);
      writeContentAddressed(pathOf(owner, sha), bytes);
      return sha;
    },
    read(owner: string, sha: string): Buffer | null {
      try {
        return readFileSync(pathOf(owner, sha));
      } catch {
        return null;
      }
    },
    remove(owner: string, sha: string): void {
      rmSync(pathOf(owner, sha), { force: true });
    },
    removeAll(owner: string): void {
      rmSync(dirOf(owner), { recursive: true, force: true });
    },
  };
}
export type BlobFolder = ReturnType<typeof createBlobFolder>;

// control, bidi-override and path characters make file names lie about what they are
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f/\\\u200e\u200f\u202a-\u202e\u2066-\u2069:*?"<>|]/g;

/** A file name safe to show, to send to the collector and to offer as a download name. */
export function sanitiseFileName(name: string, fallback = 'Datei'): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base.normalize('NFC').replace(NAME_FORBIDDEN, '_').replace(/\s+/g, ' ').trim();
  const noDots = clean.replace(/^\.+/, '').trim();
  const out = noDots === '' ? fallback : noDots;
  if (out.length <= 200) return out;
  const dot = out.lastIndexOf('.');
  const ext = dot > 0 && out.length - dot <= 10 ? out.slice(dot) : '';
  return out.slice(0, 200 - ext.length) + ext;
}
