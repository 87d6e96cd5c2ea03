import { createReadStream, rmSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { makePrivateDir } from '../../src-shared/private-fs';
import { SHA256_HEX, sha256Hex, writeContentAddressed } from '../../src-shared/content-addressed';

export { sha256Hex };

/** Content-addressed blobs: the id IS the hex SHA-256 of the bytes. */
export interface FileStore {
  /** stores the bytes (a no-op when already present) and returns their SHA-256 */
  put(bytes: Buffer): Promise<string>;
  /** the blob's bytes as a stream and its size, or null when unknown */
  open(sha256: string): Promise<{ size: number; stream: Readable } | null>;
  close(): Promise<void>;
}

/**
 * Blobs as files under `dir/ab/abcdef…`. The path is derived only from a validated hash, never
 * from a request; the write is the shared crash-safe one (src-shared/content-addressed).
 */
export class DiskFileStore implements FileStore {
  constructor(private readonly dir: string) {
    makePrivateDir(dir);
  }

  async put(bytes: Buffer): Promise<string> {
    const hash = sha256Hex(bytes);
    writeContentAddressed(this.pathOf(hash), bytes);
    return hash;
  }

  async open(sha256: string): Promise<{ size: number; stream: Readable } | null> {
    if (!SHA256_HEX.test(sha256)) return null;
    const p = this.pathOf(sha256);
    let size: number;
    try {
      size = statSync(p).size;
    } catch {
      return null;
    }
    return { size, stream: createReadStream(p, { highWaterMark: 256 * 1024 }) };
  }

  async close(): Promise<void> {}

  /** issue 17: a blob of an erased offer that no other offer refers to (the caller checked) */
  async remove(sha256: string): Promise<void> {
    if (!SHA256_HEX.test(sha256)) return;
    rmSync(this.pathOf(sha256), { force: true });
  }

  private pathOf(hash: string): string {
    if (!SHA256_HEX.test(hash)) throw new Error('not a SHA-256 hex id');
    return join(this.dir, hash.slice(0, 2), hash);
  }
}
