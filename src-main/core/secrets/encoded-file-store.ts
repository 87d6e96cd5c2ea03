import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from '../api';
import { makePrivateDir } from '../../../src-shared/private-fs';

/** How values are turned into what lands on disk: identity for the plain store, safeStorage in the shell. */
export interface SecretCodec {
  encode(plain: string): string;
  decode(stored: string): string;
  readonly encrypted: boolean;
}

export const plainCodec: SecretCodec = { encode: (s) => s, decode: (s) => s, encrypted: false };

const SecretFile = z.record(z.string(), z.string());

/**
 * One JSON file (mode 0600) of key → encoded value. Writes are whole-file and atomic. The
 * Electron shell gives it the safeStorage codec; `createFileSecretStore` (./file-store) is the
 * browser host's and the tests' plain store, which re-reads the file on every call.
 */
export function createEncodedFileSecretStore(file: string, codec: SecretCodec = plainCodec): SecretStore {
  let cache: Record<string, string> | null = null;

  const load = (): Record<string, string> => {
    if (cache) return cache;
    if (!existsSync(file)) return (cache = {});
    const parsed = SecretFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    cache = parsed.success ? parsed.data : {};
    return cache;
  };
  const persist = (data: Record<string, string>): void => {
    makePrivateDir(dirname(file));
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    renameSync(tmp, file);
    chmodSync(file, 0o600);
    cache = data;
  };

  return {
    encrypted: codec.encrypted,
    async get(key) {
      const stored = load()[key];
      return stored === undefined ? null : codec.decode(stored);
    },
    async set(key, value) {
      persist({ ...load(), [key]: codec.encode(value) });
    },
    async delete(key) {
      const { [key]: _gone, ...rest } = load();
      persist(rest);
    },
  };
}
