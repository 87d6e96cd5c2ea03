import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

// The Electron shell cannot be launched here (no Electron binary); building it is the check that
// the app users start with `npm start` still compiles, bundles its preload for the sandbox and
// ships the collector's worker threads beside the main bundle (local test mode needs them).
describe('electron-vite build', () => {
  it('builds main, a CommonJS preload and the renderer, with the collector workers beside main', () => {
    const r = spawnSync(
      process.execPath,
      [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
        timeout: 240_000,
      },
    );
    expect(r.status, r.stderr + r.stdout).toBe(0);
    for (const f of ['hit-writer-worker.mjs', 'checkpointer-worker.mjs', 'evidence-chainer-worker.js', 'index.js']) {
      expect(existsSync(resolve(root, 'out/main', f)), f).toBe(true);
    }
    const preload = readFileSync(resolve(root, 'out/preload/index.cjs'), 'utf8');
    expect(preload).toContain('contextBridge');
    expect(preload).not.toMatch(/^import /m);
    const html = readFileSync(resolve(root, 'out/renderer/index.html'), 'utf8');
    expect(html).toMatch(/<script type="module"[^>]*src="\.\/assets\/index-[^"]+\.js"/);
  }, 240_000);
});
