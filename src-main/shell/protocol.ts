import { readFile } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { protocol } from 'electron';
import { contentSecurityPolicy } from '../core/renderer-assets/csp';
import { rendererContentType } from '../core/renderer-assets/mime';
import { APP_HOST, APP_SCHEME } from './url-policy';

/** Must run before app `ready`: app:// behaves like https (secure context, fetch, relative URLs). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves the built renderer as app://blitz/… with our CSP on every response. Paths are confined
 * to the renderer folder; anything else is a 404, never a file elsewhere on disk.
 */
export function serveRenderer(rendererDir: string): void {
  const root = resolve(rendererDir);
  const csp = contentSecurityPolicy('production');
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    let file = normalize(join(root, decodeURIComponent(url.pathname)));
    if (file !== root && !file.startsWith(root + sep)) return new Response('not found', { status: 404 });
    if (file === root || url.pathname === '/') file = join(root, 'index.html');
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': rendererContentType(file),
          'content-security-policy': csp,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
