import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build, createServer, type ViteDevServer } from 'vite';

const ROOT = resolve(import.meta.dirname, '../../src-renderer');

/** One production build of the renderer (the e2e suite does this once, not per test). */
export async function buildRenderer(outDir: string): Promise<void> {
  await build({
    root: ROOT,
    configFile: false,
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    // relative to the caller's working directory, not to the renderer root
    build: { outDir: resolve(outDir), emptyOutDir: true },
  });
}

/** Vite in middleware mode for `npm run web -- --dev` (hot reload through the host). */
export async function createRendererDevServer(): Promise<ViteDevServer> {
  return createServer({
    root: ROOT,
    configFile: false,
    plugins: [react()],
    server: { middlewareMode: true },
    appType: 'spa',
  });
}
