import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { CoreLogger, SecretStore } from '../api';
import { makePrivateDir } from '../../../src-shared/private-fs';

const SecretsFile = z.record(z.string(), z.string());

/**
 * Secrets in a plain JSON file readable only by the user (0600). NOT encrypted: used where no
 * keyring exists (browser host, tests); the Electron shell uses safeStorage instead.
 */
export function createFileSecretStore(file: string, log?: Pick<CoreLogger, 'warn'>): SecretStore {
  const warn = log?.warn.bind(log) ?? ((o: object, msg?: string) => console.warn(msg, o));
  warn(
    { file },
    'WARNING: secrets (mail passwords, collector token) are stored UNENCRYPTED in a plain file (mode 0600)',
  );
  let queue: Promise<unknown> = Promise.resolve();

  const load = async (): Promise<Record<string, string>> => {
    try {
      return SecretsFile.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
  };
  const save = async (data: Record<string, string>): Promise<void> => {
    makePrivateDir(dirname(file));
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(data), { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  };
  // read-modify-write must not interleave
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    encrypted: false,
    get: (key) => serial(async () => (await load())[key] ?? null),
    set: (key, value) =>
      serial(async () => {
        const data = await load();
        data[key] = value;
        await save(data);
      }),
    delete: (key) =>
      serial(async () => {
        const data = await load();
        if (!(key in data)) return;
        delete data[key];
        await save(data);
      }),
  };
}
