/**
 * The renderer's Content-Security-Policy. Production allows only our own files; the dev server
 * additionally needs Vite's inline React-refresh preamble and its HMR websocket.
 */
export function contentSecurityPolicy(mode: 'production' | 'dev'): string {
  const dev = mode === 'dev';
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    // React sets style properties through CSSOM (not blocked); <style> tags are not used.
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': dev ? ["'self'", 'ws:', 'http://localhost:*', 'http://127.0.0.1:*'] : ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
    'worker-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}
