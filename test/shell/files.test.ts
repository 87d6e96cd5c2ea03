import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src-main/core/renderer-assets/csp';
import { rendererContentType } from '../../src-main/core/renderer-assets/mime';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from '../../src-main/shell/window-state';
import { createEncodedFileSecretStore } from '../../src-main/core/secrets/encoded-file-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blitz-shell-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('window state', () => {
  it('round-trips and falls back to the default on missing, broken or out-of-range files', () => {
    const file = join(dir, 'sub', 'window-state.json');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    saveWindowState(file, { width: 1400, height: 900, x: 10, y: 20, maximized: true });
    expect(loadWindowState(file)).toEqual({ width: 1400, height: 900, x: 10, y: 20, maximized: true });
    writeFileSync(file, '{"width": 1400, "height": ');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(file, JSON.stringify({ width: 5, height: 900 }));
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
  });
});

describe('content security policy', () => {
  it('allows only our own scripts in production', () => {
    const csp = contentSecurityPolicy('production');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});

describe('renderer content types (one map for the shell and the host)', () => {
  it('names the renderer files by extension and serves anything else as opaque bytes', () => {
    expect(rendererContentType('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(rendererContentType('/r/assets/index-3f2a.js')).toBe('text/javascript; charset=utf-8');
    expect(rendererContentType('/r/assets/app.CSS')).toBe('text/css; charset=utf-8');
    expect(rendererContentType('/r/favicon.ico')).toBe('image/x-icon');
    expect(rendererContentType('/r/font.woff2')).toBe('font/woff2');
    expect(rendererContentType('/r/notes.txt')).toBe('application/octet-stream');
    expect(rendererContentType('/r/Makefile')).toBe('application/octet-stream');
  });
});

describe('file secret store', () => {
  it('persists across instances with a codec, private file mode, and deletes', async () => {
    const file = join(dir, 'secrets.json');
    const codec = {
      encode: (s: string) => Buffer.from(s).toString('base64'),
      decode: (s: string) => Buffer.from(s, 'base64').toString(),
      encrypted: true,
    };
    const a = createEncodedFileSecretStore(file, codec);
    expect(await a.get('smtp')).toBeNull();
    await a.set('smtp', 'geheim');
    await a.set('imap', 'auch');
    expect(readFileSync(file, 'utf8')).not.toContain('geheim');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = createEncodedFileSecretStore(file, codec);
    expect(b.encrypted).toBe(true);
    expect(await b.get('smtp')).toBe('geheim');
    await b.delete('smtp');
    expect(await createEncodedFileSecretStore(file, codec).get('smtp')).toBeNull();
    expect(await createEncodedFileSecretStore(file, codec).get('imap')).toBe('auch');
    expect(createEncodedFileSecretStore(join(dir, 'plain.json')).encrypted).toBe(false);
  });
});
