import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreEvent } from '../src-shared/ipc';
import type { AppUnderTest } from '../test/support/e2e-stack';
import { expect, test as stackTest } from './support/fixtures';

/**
 * The browser host's bridge: the same core handler table over HTTP, closed to other local pages.
 * A tiny stand-in renderer folder is enough here; the full renderer runs in app.spec.ts.
 */
const test = stackTest.extend<object, { rendererDir: string }>({
  rendererDir: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'blitz-host-renderer-'));
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Blitz</title>');
      writeFileSync(join(dir, 'assets', 'a.js'), 'console.log(1)');
      await use(dir);
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});
test.use({ stack: 'host' });

const ipc = (app: AppUnderTest, op: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.host.origin}/ipc/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** fetch() cannot send a foreign Host header; a raw request can. */
function rawGet(app: AppUnderTest, path: string, host: string): Promise<number> {
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

test.describe('browser host bridge', () => {
  test('dispatches to the real core with the token, and validates in the core', async ({ app }) => {
    const res = await ipc(app, 'settings.get', {}, { 'x-blitz-token': app.host.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; value: { language: string; localTestMode: boolean } };
    expect(body.ok).toBe(true);
    expect(body.value.language).toBe('de');

    const invalid = await ipc(app, 'feed.get', { activityId: 42 }, { 'x-blitz-token': app.host.token });
    const invalidBody = (await invalid.json()) as { ok: boolean; error: { code: string } };
    expect(invalidBody.ok).toBe(false);
  });

  test('refuses calls without or with a wrong token, unknown operations and foreign Host headers', async ({
    app,
  }) => {
    expect((await ipc(app, 'settings.get', {})).status).toBe(403);
    expect((await ipc(app, 'settings.get', {}, { 'x-blitz-token': 'x'.repeat(43) })).status).toBe(403);
    expect((await ipc(app, 'settings.get', {}, { 'x-blitz-token': app.host.token.slice(1) })).status).toBe(
      403,
    );
    expect((await ipc(app, 'constructor', {}, { 'x-blitz-token': app.host.token })).status).toBe(404);
    expect((await ipc(app, '__proto__', {}, { 'x-blitz-token': app.host.token })).status).toBe(404);
    const sse = await fetch(`${app.host.origin}/events?token=wrong`);
    expect(sse.status).toBe(403);
    await sse.body?.cancel();
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host
    expect(await rawGet(app, '/', 'evil.example')).toBe(421);
    expect(await rawGet(app, '/', `127.0.0.1:${new URL(app.host.origin).port}`)).toBe(200);
  });

  test('answers a foreign origin’s preflight without CORS headers, so browsers never send the call', async ({
    app,
  }) => {
    const res = await fetch(`${app.host.origin}/ipc/settings.get`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:9999', 'access-control-request-headers': 'x-blitz-token' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('serves the renderer with a strict CSP and never a file outside it', async ({ app }) => {
    const page = await fetch(`${app.host.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('<title>Blitz</title>');
    const escape = await rawGet(app, '/..%2f..%2fetc%2fpasswd', `127.0.0.1:${new URL(app.host.origin).port}`);
    expect(escape).toBe(404);
  });

  test('streams core events over SSE to the holder of the token', async ({ app }) => {
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
      app,
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
