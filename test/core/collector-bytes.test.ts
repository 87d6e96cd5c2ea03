import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { err, ok } from '../../src-shared/result';
import { createCollectorClient } from '../../src-main/core/collector/client';

/**
 * A first sync reads its pages as bytes over node:http (src-main/core/collector/get-bytes.ts, the
 * client's pullEventsBytesChecked): the same answers and the same refusals as the fetch path, on a
 * real loopback server.
 */
const page = JSON.stringify({ events: [], messages: [], next: 7, lastSeq: 7, note: 'ä'.repeat(100_000) });
let server: Server;
let base = '';
const seen: { url: string; auth: string | undefined }[] = [];
const routes: Record<string, (res: ServerResponse) => void> = {
  '/api/v1/events?after=0&limit=10': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(page);
  },
  // no content-length: chunked
  '/api/v1/events?after=1&limit=10': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const b = Buffer.from(page);
    res.write(b.subarray(0, 1000));
    setTimeout(() => res.end(b.subarray(1000)), 20);
  },
  '/api/v1/events?after=2&limit=10': (res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'unauthorized', message: 'token revoked' } }));
  },
  '/api/v1/events?after=3&limit=10': (res) => {
    res.writeHead(302, { location: 'http://elsewhere.example/' });
    res.end();
  },
  '/api/v1/events?after=4&limit=10': (res) => {
    res.writeHead(503, { 'retry-after': '7' });
    res.end('not json');
  },
  // announces more than it sends, then hangs up
  '/api/v1/events?after=5&limit=10': (res) => {
    res.writeHead(200, { 'content-length': '5000' });
    res.write('{"events":[');
    setTimeout(() => res.socket?.destroy(), 20);
  },
  // never answers within the client's timeout
  '/api/v1/events?after=6&limit=10': () => undefined,
};

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    const route = routes[req.url ?? ''];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('pullEventsBytesChecked', () => {
  const client = () => createCollectorClient({ baseUrl: base, token: 'tok-1', timeoutMs: 1_000 });
  const asText = (b: Uint8Array) => ok(Buffer.from(b).toString('utf8'));

  it('gives the whole body as bytes of their own, with and without a content-length', async () => {
    for (const after of [0, 1]) {
      let got: Uint8Array | null = null;
      const r = await client().pullEventsBytesChecked(after, 10, (b) => {
        got = b;
        return asText(b);
      });
      expect(r).toEqual(ok(page));
      // an ArrayBuffer of its own: transferring it moves nothing else
      expect(got!.byteOffset).toBe(0);
      expect(got!.buffer.byteLength).toBe(Buffer.byteLength(page));
    }
    expect(seen.filter((s) => s.url.includes('after=0')).at(-1)?.auth).toBe('Bearer tok-1');
  });

  it('tells a failed check as a bad response', async () => {
    const r = await client().pullEventsBytesChecked(0, 10, () => err('events: not what we expect'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('collector_bad_response');
      expect(r.error.detail).toContain('events: not what we expect');
    }
  });

  it('refuses as the fetch path does: the collector’s refusal, a redirect, a cut-off answer, a timeout', async () => {
    const codeOf = async (after: number) => {
      const r = await client().pullEventsBytesChecked(after, 10, asText);
      if (r.ok) throw new Error(`after=${after} answered`);
      return r.error;
    };
    const unauthorized = await codeOf(2);
    expect(unauthorized.code).toBe('collector_unauthorized');
    expect(unauthorized.detail).toContain('token revoked');
    const redirect = await codeOf(3);
    expect(redirect.code).toBe('collector_unreachable');
    expect(redirect.detail).toContain('redirect');
    expect(seen.some((s) => s.url === '/' || s.url.includes('elsewhere'))).toBe(false);
    const unavailable = await codeOf(4);
    expect(unavailable.status).toBe(503);
    expect(unavailable.transient).toBe(true);
    expect((await codeOf(5)).code).toBe('collector_unreachable');
    const t0 = performance.now();
    expect((await codeOf(6)).code).toBe('collector_unreachable');
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
