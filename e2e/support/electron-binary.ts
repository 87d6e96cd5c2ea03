import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/**
 * Where the electron package's installer put the binary, found the way its index.js does
 * (path.txt beside package.json, the binary under dist/, or ELECTRON_OVERRIDE_DIST_PATH), but
 * without loading that index.js: outside Electron it throws, and the `electron` CLI would try to
 * download the binary.
 */
export function findElectronBinary(): ElectronBinary {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const path = resolve(override, relative || 'electron');
    return existsSync(path)
      ? { found: true, path }
      : { found: false, reason: `no Electron binary at ${path}` };
  }
  if (!relative) return { found: false, reason: `no Electron binary at ${pathFile} (path.txt missing)` };
  const path = join(pkgDir, 'dist', relative);
  return existsSync(path) ? { found: true, path } : { found: false, reason: `no Electron binary at ${path}` };
}

export const ELECTRON_INSTALL_HINT =
  'install electron without ELECTRON_SKIP_BINARY_DOWNLOAD (npm rebuild electron, or npm ci) to run it';
