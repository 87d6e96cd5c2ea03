import { safeStorage } from 'electron';
import type { SecretStore } from '../core/api';
import { createEncodedFileSecretStore, type SecretCodec } from '../core/secrets/encoded-file-store';

type Logger = { warn(o: object, msg?: string): void };

/**
 * Secrets encrypted with the OS keychain through safeStorage. On Linux without a keyring Electron
 * falls back to a hard-coded key ('basic_text'): that is obfuscation, not encryption, so the store
 * reports `encrypted: false` and the settings view says so.
 */
export function createSafeStorageSecretStore(file: string, log: Logger): SecretStore {
  const available = safeStorage.isEncryptionAvailable();
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  const weak = !available || backend === 'basic_text' || backend === 'unknown';
  if (weak) {
    log.warn(
      { backend, available },
      'safeStorage has no OS keyring here: secrets are stored without real encryption (install/unlock a keyring)',
    );
  }
  const codec: SecretCodec = available
    ? {
        encode: (plain) => safeStorage.encryptString(plain).toString('base64'),
        decode: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
        encrypted: !weak,
      }
    : { encode: (s) => s, decode: (s) => s, encrypted: false };
  return createEncodedFileSecretStore(file, codec);
}
