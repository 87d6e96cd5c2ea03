import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { makePrivateDir } from '../../src-shared/private-fs';

/** Content-addressed blobs: the id IS the hex SHA-256 of the bytes. */
export interface FileStore {
  /** stores the bytes (a no-op when already present) and returns their SHA-256 */
  put(bytes: Buffer): Promise<string>;
  /** the blob's bytes as a stream and its size, or null when unknown */
  open(sha256: string): Promise<{ size: number; stream: Readable } | null>;
  close(): Promise<void>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Blobs as files under `dir/ab/abcdef…`. The path is derived only from a validated hash, never
 * from a request. Writes go to a temp name, are fsynced and renamed, so a crash leaves either
 * the whole blob or none.
 */
export class DiskFileStore implements FileStore {
  constructor(private readonly dir: string) {
    makePrivateDir(dir);
  }

  async put(bytes: Buffer): Promise<string> {
    const hash = sha256Hex(bytes);
    const target = this.pathOf(hash);
    if (exists(target)) return hash;
    makePrivateDir(join(this.dir, hash.slice(0, 2)));
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
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

  private pathOf(hash: string): string {
    if (!SHA256_HEX.test(hash)) throw new Error('not a SHA-256 hex id');
    return join(this.dir, hash.slice(0, 2), hash);
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
