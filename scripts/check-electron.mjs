#!/usr/bin/env node
// `npm start` / `npm run dev` on a machine without the Electron binary (installed with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1, or a download that failed) would fail deep inside
// electron-vite with „Electron uninstall“. This says what to do instead, in one sentence.
// The binary is found the way electron's own index.js finds it (path.txt + dist/), without
// require('electron'), which would throw or start a download.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import console from 'node:console';
import process from 'node:process';

function electronBinary() {
  let dir;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(dir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (override) return join(override, name || 'electron');
  if (!name) return null;
  const bin = join(dir, 'dist', name);
  return existsSync(bin) ? bin : null;
}

if (!electronBinary()) {
  console.error(
    'Electron ist auf diesem Computer nicht installiert – starten Sie Blitz stattdessen im Browser mit `npm run web` (Electron is not installed here: use `npm run web`).',
  );
  process.exit(1);
}
