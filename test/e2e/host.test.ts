import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../src-shared/ipc';
import { startApp, type AppUnderTest } from './harness';

/**
 * The browser host's bridge: the same core handler table over HTTP, closed to other local pages.
 * A tiny stand-in renderer folder is enough here; the full renderer runs in app.test.ts.
 */
let app: AppUnderTest;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'blitz-host-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Blitz</title>');
  writeFileSync(join(rendererDir, 'assets', 'a.js'), 'console.log(1)');
  app = await startApp(rendererDir);
});
afterAll(async () => {
  await app?.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

const ipc = (op: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.host.origin}/ipc/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** fetch() cannot send a foreign Host header; a raw request can. */
function rawGet(path: string, host: string): Promise<number> {
  const { port } = new URL(app.host.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser host bridge', () => {
  it('dispatches to the real core with the token, and validates in the core', async () => {
    const res = await ipc('settings.get', {}, { 'x-blitz-token': app.host.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; value: { language: string; localTestMode: boolean } };
    expect(body.ok).toBe(true);
    expect(body.value.language).toBe('de');

    const invalid = await ipc('feed.get', { activityId: 42 }, { 'x-blitz-token': app.host.token });
    const invalidBody = (await invalid.json()) as { ok: boolean; error: { code: string } };
    expect(invalidBody.ok).toBe(false);
  });

  it('refuses calls without or with a wrong token, unknown operations and foreign Host headers', async () => {
    expect((await ipc('settings.get', {})).status).toBe(403);
    expect((await ipc('settings.get', {}, { 'x-blitz-token': 'x'.repeat(43) })).status).toBe(403);
    expect((await ipc('settings.get', {}, { 'x-blitz-token': app.host.token.slice(1) })).status).toBe(403);
    expect((await ipc('constructor', {}, { 'x-blitz-token': app.host.token })).status).toBe(404);
    expect((await ipc('__proto__', {}, { 'x-blitz-token': app.host.token })).status).toBe(404);
    const sse = await fetch(`${app.host.origin}/events?token=wrong`);
    expect(sse.status).toBe(403);
    await sse.body?.cancel();
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host
    expect(await rawGet('/', 'evil.example')).toBe(421);
    expect(await rawGet('/', `127.0.0.1:${new URL(app.host.origin).port}`)).toBe(200);
  });

  it('answers a foreign origin’s preflight without CORS headers, so browsers never send the call', async () => {
    const res = await fetch(`${app.host.origin}/ipc/settings.get`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:9999', 'access-control-request-headers': 'x-blitz-token' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the renderer with a strict CSP and never a file outside it', async () => {
    const page = await fetch(`${app.host.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('<title>Blitz</title>');
    const escape = await rawGet('/..%2f..%2fetc%2fpasswd', `127.0.0.1:${new URL(app.host.origin).port}`);
    expect(escape).toBe(404);
  });

  it('streams core events over SSE to the holder of the token', async () => {
    const controller = new AbortController();
    const res = await fetch(`${app.host.origin}/events?token=${app.host.token}`, {
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const received: CoreEvent[] = [];
    const reading = (async () => {
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += Buffer.from(value).toString('utf8');
        for (const m of buf.matchAll(/^data: (.+)$/gm)) received.push(JSON.parse(m[1]!) as CoreEvent);
        buf = buf.slice(buf.lastIndexOf('\n') + 1);
        if (received.some((e) => e.kind === 'settings.changed')) return;
      }
    })();
    const changed = await ipc(
      'settings.setLanguage',
      { language: 'en' },
      { 'x-blitz-token': app.host.token },
    );
    expect(((await changed.json()) as { ok: boolean }).ok).toBe(true);
    await reading;
    controller.abort();
    expect(received.map((e) => e.kind)).toContain('settings.changed');
  });
});
