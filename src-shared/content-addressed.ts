import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { makePrivateDir } from './private-fs';

/**
 * Content-addressed files for both programs (the collector's offer blobs, the desktop's property
 * files): the name IS the hex SHA-256 of the bytes, so two writers of one name write the same
 * bytes and the only thing to get right is that nobody ever sees half a file. Node only (fs).
 */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes `bytes` to `target` (0600, parent folder made private): to a unique temp name beside it,
 * fsynced, renamed over the target, and the folder fsynced so the rename itself survives a power
 * cut. A crash leaves the whole file or none (plus perhaps a stray `*.tmp`). A no-op when the
 * target already holds that many bytes: under a hash name that means the same bytes.
 */
export function writeContentAddressed(target: string, bytes: Buffer): void {
  try {
    if (statSync(target).size === bytes.length) return;
  } catch {
    // not there yet
  }
  const dir = dirname(target);
  makePrivateDir(dir);
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
  syncDir(dir);
}

function syncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some file systems cannot fsync a folder; the rename is still atomic there
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
