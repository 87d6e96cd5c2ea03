import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createBlobFolder } from '../properties/files';

const OWNER = 'draft-files';
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** a file put moments ago may belong to a draft whose next save has not arrived yet */
const GRACE_MS = 60 * 60_000;

/**
 * Files attached to drafts: `<dataDir>/draft-files/<sha256>`, written whole or not at all
 * (createBlobFolder). The same file in two drafts is stored once; a file no draft lists any more
 * is removed when a draft goes (sent or discarded).
 */
export function createDraftFiles(dataDir: string) {
  const blobs = createBlobFolder(dataDir);
  return {
    put(bytes: Buffer): string {
      return blobs.put(OWNER, bytes);
    },
    read(sha256: string): Buffer | null {
      return blobs.read(OWNER, sha256);
    },
    /** removes the files none of `referenced` lists, unless put within the last hour */
    prune(referenced: ReadonlySet<string>, now = Date.now()): number {
      let names: string[];
      try {
        names = readdirSync(join(dataDir, OWNER));
      } catch {
        return 0;
      }
      let removed = 0;
      for (const name of names) {
        if (!SHA256_HEX.test(name) || referenced.has(name)) continue;
        try {
          if (now - statSync(blobs.path(OWNER, name)).mtimeMs < GRACE_MS) continue;
        } catch {
          continue;
        }
        blobs.remove(OWNER, name);
        removed++;
      }
      return removed;
    },
  };
}
export type DraftFiles = ReturnType<typeof createDraftFiles>;
