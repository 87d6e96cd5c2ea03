import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDirs, startHostProcess, stubRenderer, type HostProc } from './processes';
import { rawRequest } from './raw-http';

/**
 * Finding 1 of issue 14: one malformed request killed the browser host (`GET /%E0%A4%A` threw
 * URIError in serveStatic). The host runs as the real CLI in a child process, so "still alive"
 * means the process, not just a server object.
 */
let host: HostProc;
const dirs: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'blitz-sec-host-'));
  const renderer = stubRenderer();
  dirs.push(dataDir, renderer);
  host = await startHostProcess(join(dataDir, 'data'), renderer);
}, 120_000);
afterAll(async () => {
  await host?.stop();
  removeDirs(dirs);
});

const hostHeader = (): string => new URL(host.origin).host;
const get = (path: string, headers = ''): Promise<import('./raw-http').RawAnswer> =>
  rawRequest(
    host.origin,
    `GET ${path} HTTP/1.1\r\nHost: ${hostHeader()}\r\n${headers}Connection: close\r\n\r\n`,
  );

async function stillServing(): Promise<void> {
  expect(host.alive()).toBe(true);
  const r = await get('/');
  expect(r.status).toBe(200);
}

describe('browser host: malformed requests', () => {
  it('answers a broken percent-encoding with 400 and keeps running', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/%zz', '/assets/%C0%AF', '/ipc/%E0%A4%A', '/events%ff']) {
      const r = await get(path);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(r.headers['x-content-type-options']?.[0], path).toBe('nosniff');
    }
    await stillServing();
  });

  it('refuses traversal with 4xx instead of falling back to the page', async () => {
    for (const path of [
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/..\\..\\etc\\passwd',
      '/a%00.html',
    ]) {
      const r = await get(path);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(r.body, path).not.toContain('root:');
    }
    await stillServing();
  });

  it('answers bad Host, huge headers, odd targets and bad methods with 4xx', async () => {
    const port = new URL(host.origin).port;
    const cases: [string, string][] = [
      ['foreign host', `GET / HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`],
      ['no host', `GET / HTTP/1.1\r\nConnection: close\r\n\r\n`],
      ['huge header', `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`],
      ['absolute-form target', `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`],
      ['asterisk target', `OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`],
      ['unknown method', `BREW / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`],
      ['DELETE', `DELETE / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\n\r\n`],
      ['garbage', `\x00\x01\x02 nonsense\r\n\r\n`],
      [
        'encoded header injection',
        `GET /x%0d%0aSet-Cookie:%20a=b HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
      ],
      ['raw header injection', `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-A: a\rSet-Cookie: b\r\n\r\n`],
    ];
    for (const [name, req] of cases) {
      const r = await rawRequest(host.origin, req);
      expect(r.status, name).toBeGreaterThanOrEqual(400);
      expect(r.status, name).toBeLessThan(500);
    }
    await stillServing();
  });

  it('refuses an oversize bridge call by its Content-Length before reading it', async () => {
    const r = await rawRequest(
      host.origin,
      `POST /ipc/settings.get HTTP/1.1\r\nHost: ${hostHeader()}\r\nX-Blitz-Token: ${host.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${200 * 1024 * 1024}\r\n\r\n{"a":`,
      { holdOpen: true, timeoutMs: 5_000 },
    );
    expect(r.status).toBe(413);
    expect(r.ms).toBeLessThan(1_000 + 2_000); // margin for a loaded machine; the body never follows
    await stillServing();
  });
});
