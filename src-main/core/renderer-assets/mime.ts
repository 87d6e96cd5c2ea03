import { extname } from 'node:path';

/**
 * The content types of the built renderer's files, for the two programs that serve it: the
 * Electron shell (app://) and the browser host (http://127.0.0.1). Anything else is served as
 * opaque bytes, and `x-content-type-options: nosniff` keeps the browser from guessing.
 */
const RENDERER_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function rendererContentType(file: string): string {
  return RENDERER_CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
