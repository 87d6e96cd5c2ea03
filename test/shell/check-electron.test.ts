import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** `npm start`'s pre-check: one sentence and a non-zero exit where no Electron binary exists. */
const SCRIPT = resolve('scripts/check-electron.mjs');
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** a project folder with the script and an electron package, with or without its binary */
function project(withBinary: boolean): string {
  dir = mkdtempSync(join(tmpdir(), 'blitz-check-electron-'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(SCRIPT, join(dir, 'scripts', 'check-electron.mjs'));
  const pkg = join(dir, 'node_modules', 'electron');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'electron', version: '40.0.0', main: 'index.js' }),
  );
  // requiring the package would throw like the real one does without its binary
  writeFileSync(join(pkg, 'index.js'), "throw new Error('Electron failed to install correctly');");
  if (withBinary) {
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    writeFileSync(join(pkg, 'dist', 'electron'), '');
  }
  return join(dir, 'scripts', 'check-electron.mjs');
}

const env: NodeJS.ProcessEnv = { ...process.env };
delete env.ELECTRON_OVERRIDE_DIST_PATH;

describe('scripts/check-electron.mjs', () => {
  it('without the Electron binary: one sentence pointing to `npm run web`, exit 1', () => {
    const r = spawnSync(process.execPath, [project(false)], { encoding: 'utf8', env });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('npm run web');
    expect(r.stderr).not.toContain('failed to install');
  });

  it('with the binary in place it stays silent and lets the start go on', () => {
    const out = execFileSync(process.execPath, [project(true)], { encoding: 'utf8', env });
    expect(out).toBe('');
  });
});
