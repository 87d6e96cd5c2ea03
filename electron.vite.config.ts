import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The collector's SQLite store runs its writer and checkpointer as worker threads loaded with
 * `new URL('./x.mjs', import.meta.url)`, and those import hit-batch.mjs; the main bundle needs
 * these files beside it, or the local test mode's embedded collector could not start.
 */
function collectorWorkers(): Plugin {
  const dir = resolve(__dirname, 'src-collector/store/sqlite');
  return {
    name: 'blitz-collector-workers',
    generateBundle() {
      for (const fileName of readdirSync(dir).filter((f) => f.endsWith('.mjs'))) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(resolve(dir, fileName)) });
      }
    },
  };
}

// Our folder names are not electron-vite's defaults (src/main, src/preload, src/renderer),
// so every entry is named here.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/shell/index.ts'),
          // OpenImmo parsing runs on a worker thread (src-main/core/properties/import-thread.ts)
          'openimmo-import-worker': resolve(__dirname, 'src-main/core/properties/import-worker.ts'),
          // the sync's fetching and writing threads (src-main/core/sync/worker/threads.ts finds
          // sync-worker.js beside index.js)
          'sync-worker': resolve(__dirname, 'src-main/core/sync/worker/entry.ts'),
          // the local collector's evidence chainer thread (src-collector/evidence/chainer-thread.ts
          // finds evidence-chainer-worker.js beside index.js)
          'evidence-chainer-worker': resolve(__dirname, 'src-collector/evidence/chainer-worker.ts'),
        },
        // only used when running from source, where the worker is bundled on the fly
        external: ['esbuild'],
      },
      externalizeDeps: true,
    },
    plugins: [collectorWorkers()],
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        // A sandboxed preload cannot load ES modules or require our files: one CommonJS bundle.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified: 2.4 × the script to parse and compile at
      // every start of the window (the browser host's build is minified, issue 12)
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
    plugins: [react()],
  },
});
