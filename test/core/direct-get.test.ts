import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDirectGetter, FramingUnsupported } from '../../src-main/core/collector/direct-get';
import { createCollectorClient } from '../../src-main/core/collector/client';
import { ok } from '../../src-shared/result';
import { EVENTS_NEXT_HEADER } from '../../src-shared/api';
import { createTestCa } from '../support/test-ca';

/**
 * direct-get.ts against real servers on loopback: node:http answering as the collector does (a
 * Content-Length), and raw sockets for what a collector must not send.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function httpServer(handler: RequestListener): Promise<{ url: string; connections: () => number }> {
  const s = createHttpServer(handler);
  let connections = 0;
  s.on('connection', () => connections++);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => s.close(r)), () => s.closeAllConnections());
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, connections: () => connections };
}

/** a server that answers each request with the bytes `answer` gives, written as they are */
async function rawServer(answer: (socket: Socket, request: string) => void): Promise<string> {
  const s = createNetServer((socket) => {
    let head = '';
    socket.on('data', (d) => {
      head += d.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const request = head.slice(0, end);
      head = head.slice(end + 4);
      answer(socket, request);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const sockets = new Set<Socket>();
  s.on('connection', (c) => sockets.add(c));
  cleanups.push(
    () => new Promise((r) => s.close(r)),
    () => sockets.forEach((c) => c.destroy()),
  );
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe('direct-get', () => {
  it('reads a large answer into the buffer alloc gives, over one kept-alive connection', async () => {
    const body = Buffer.alloc(3_000_000);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7919) % 251;
    const seen: string[] = [];
    const s = await httpServer((req, res) => {
      seen.push(`${req.url} ${req.headers['authorization']} ${req.headers['host']}`);
      res.writeHead(200, { 'content-length': String(body.length), 'x-next': '42' });
      // in pieces, so the answer comes in many reads
      let at = 0;
      const more = (): void => {
        const piece = body.subarray(at, at + 100_000);
        at += piece.length;
        if (at >= body.length) res.end(piece);
        else res.write(piece, more);
      };
      more();
    });
    const g = createDirectGetter();
    cleanups.push(() => g.close());
    const pool = new ArrayBuffer(4_000_000);
    const heads: [number, string | string[] | undefined][] = [];
    for (let round = 0; round < 3; round++) {
      const r = await g.get(
        `${s.url}/api/v1/events?after=${round}`,
        { authorization: 'Bearer t' },
        5000,
        (status, headers) => heads.push([status, headers['x-next']]),
        (length) => new Uint8Array(pool, 0, length),
      );
      expect(r.status).toBe(200);
      expect(r.bytes.buffer).toBe(pool);
      expect(Buffer.compare(Buffer.from(r.bytes), body)).toBe(0);
    }
    expect(heads).toEqual([
      [200, '42'],
      [200, '42'],
      [200, '42'],
    ]);
    const host = new URL(s.url).host;
    expect(seen).toEqual([0, 1, 2].map((n) => `/api/v1/events?after=${n} Bearer t ${host}`));
    expect(s.connections()).toBe(1);
  });

  it('two requests at once take two connections, each kept for the next', async () => {
    const s = await httpServer((req, res) => {
      const text = `answer to ${req.url}`;
      // the first waits a little, so both are in flight together
      setTimeout(() => res.end(text), req.url === '/a' ? 50 : 0);
    });
    const g = createDirectGetter();
    cleanups.push(() => g.close());
    const text = (r: { bytes: Uint8Array }): string => Buffer.from(r.bytes).toString();
    const [a, b] = await Promise.all([g.get(`${s.url}/a`, {}, 5000), g.get(`${s.url}/b`, {}, 5000)]);
    expect([text(a), text(b)]).toEqual(['answer to /a', 'answer to /b']);
    const [c, d] = await Promise.all([g.get(`${s.url}/c`, {}, 5000), g.get(`${s.url}/d`, {}, 5000)]);
    expect([text(c), text(d)]).toEqual(['answer to /c', 'answer to /d']);
    expect(s.connections()).toBe(2);
  });

  it('an error status comes back with its body and headers', async () => {
    const s = await httpServer((_req, res) => {
      const body = JSON.stringify({ error: { code: 'unauthorized', message: 'no' } });
      res.writeHead(401, { 'content-type': 'application/json', 'content-length': String(body.length), 'retry-after': '5' });
      res.end(body);
    });
    const g = createDirectGetter();
    cleanups.push(() => g.close());
    const r = await g.get(`${s.url}/x`, {}, 5000);
    expect(r.status).toBe(401);
    expect(r.headers['retry-after']).toBe('5');
    expect(JSON.parse(Buffer.from(r.bytes).toString())).toEqual({ error: { code: 'unauthorized', message: 'no' } });
  });

  it('refuses a chunked answer before reading its body, and the client asks again over node:http', async () => {
    const page = JSON.stringify({ events: [], messages: [], next: 9 });
    let requests = 0;
    const s = await httpServer((_req, res) => {
      requests++;
      // writeHead with headers and then end(): node:http sends it chunked
      res.writeHead(200, { 'content-type': 'application/json', [EVENTS_NEXT_HEADER]: '9' });
      res.end(page);
    });
    const g = createDirectGetter();
    cleanups.push(() => g.close());
    await expect(g.get(`${s.url}/x`, {}, 5000)).rejects.toBeInstanceOf(FramingUnsupported);

    const client = createCollectorClient({ baseUrl: s.url, token: 't', timeoutMs: 5000 });
    requests = 0;
    const told: number[] = [];
    const r = await client.pullEventsBytesChecked(0, 10, (bytes) => ok(Buffer.from(bytes).toString()), {
      onNext: (n) => told.push(n),
    });
    expect(r).toEqual(ok(page));
    // the refused answer, then the same request over node:http; the next one goes there at once
    expect(requests).toBe(2);
    // the next cursor told once, though two answers brought it
    expect(told).toEqual([9]);
    expect(await client.pullEventsBytesChecked(0, 10, (bytes) => ok(Buffer.from(bytes).toString()))).toEqual(ok(page));
    expect(requests).toBe(3);
  });

  it('asks again on a new connection when the collector closed the kept one meanwhile', async () => {
    const sockets: Socket[] = [];
    const url = await rawServer((socket, request) => {
      sockets.push(socket);
      const path = request.split(' ')[1];
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${path!.length}\r\n\r\n${path}`);
    });
    const g = createDirectGetter();
    cleanups.push(() => g.close());
    expect(Buffer.from((await g.get(`${url}/one`, {}, 5000)).bytes).toString()).toBe('/one');
    // the collector's keep-alive timeout ran out
    sockets[0]!.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(Buffer.from((await g.get(`${url}/two`, {}, 5000)).bytes).toString()).toBe('/two');
    // closed as the request arrives, with nothing sent: asked once more on a new connection, once
    let late = 0;
    const closing = await rawServer((socket, request) => {
      if (request.includes('/late')) {
        late++;
        return void socket.destroy();
      }
      const path = request.split(' ')[1]!;
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${path.length}\r\n\r\n${path}`);
    });
    const g2 = createDirectGetter();
    cleanups.push(() => g2.close());
    expect(Buffer.from((await g2.get(`${closing}/early`, {}, 5000)).bytes).toString()).toBe('/early');
    await expect(g2.get(`${closing}/late`, {}, 5000)).rejects.toThrow(/cut off|ECONNRESET/);
    expect(late).toBe(2);
  });

  it('an answer cut off in its body is an error, also to the client (collector_unreachable)', async () => {
    const url = await rawServer((socket) => {
      socket.end('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{"events":[');
    });
    const g = createDirectGetter();
    cleanups.push(() => g.close());
    await expect(g.get(`${url}/x`, {}, 5000)).rejects.toThrow('answer cut off');
    const client = createCollectorClient({ baseUrl: url, token: 't', timeoutMs: 5000 });
    const r = await client.pullEventsBytesChecked(0, 10, () => ok(null));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('collector_unreachable');
      expect(r.error.detail).toContain('answer cut off');
    }
  });

  it('refuses more bytes than announced, a broken head and a length that is not one', async () => {
    const answers: Record<string, string> = {
      '/more': 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nabcdef',
      '/head': 'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
      '/status': 'HTTP/2 200\r\ncontent-length: 0\r\n\r\n',
      '/length': 'HTTP/1.1 200 OK\r\ncontent-length: 5, 6\r\n\r\nabcde',
    };
    const url = await rawServer((socket, request) => socket.write(answers[request.split(' ')[1]!]!));
    const g = createDirectGetter();
    cleanups.push(() => g.close());
    await expect(g.get(`${url}/more`, {}, 5000)).rejects.toThrow('more bytes than the answer announced');
    await expect(g.get(`${url}/head`, {}, 5000)).rejects.toThrow('malformed header line');
    await expect(g.get(`${url}/status`, {}, 5000)).rejects.toThrow('not an HTTP/1.x status line');
    await expect(g.get(`${url}/length`, {}, 5000)).rejects.toThrow('is not one length');
  });

  it('a head without an end within 16 KiB, and an answer too slow, are errors', async () => {
    const url = await rawServer((socket, request) => {
      if (request.includes('/huge')) socket.write(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(20_000)}`);
      // '/slow': the head, then nothing
      else socket.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc');
    });
    const g = createDirectGetter();
    cleanups.push(() => g.close());
    await expect(g.get(`${url}/huge`, {}, 5000)).rejects.toThrow('answer head over 16384 bytes');
    const t0 = performance.now();
    await expect(g.get(`${url}/slow`, {}, 300)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('never sends a header with a line break', async () => {
    const g = createDirectGetter();
    await expect(g.get('http://127.0.0.1:1/x', { authorization: 'Bearer a\r\nx-evil: 1' }, 5000)).rejects.toThrow(
      'holds a line break',
    );
    await expect(g.get('ftp://127.0.0.1/x', {}, 5000)).rejects.toThrow('not an HTTP address');
  });

  it('reads over TLS into the given buffer, and refuses a certificate it does not trust', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blitz-direct-get-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const ca = await createTestCa(dir);
    const leaf = await ca.issue(['localhost']);
    const body = Buffer.alloc(500_000, 'x');
    const s = createHttpsServer({ key: leaf.key, cert: leaf.cert }, (_req, res) => {
      res.writeHead(200, { 'content-length': String(body.length) });
      res.end(body);
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => s.close(r)), () => s.closeAllConnections());
    const url = `https://localhost:${(s.address() as AddressInfo).port}/p`;
    const g = createDirectGetter({ ca: ca.cert });
    cleanups.push(() => g.close());
    const pool = new ArrayBuffer(600_000);
    const r = await g.get(url, {}, 5000, undefined, (length) => new Uint8Array(pool, 0, length));
    expect(r.status).toBe(200);
    expect(r.bytes.buffer).toBe(pool);
    expect(Buffer.compare(Buffer.from(r.bytes), body)).toBe(0);
    const untrusting = createDirectGetter();
    cleanups.push(() => untrusting.close());
    await expect(untrusting.get(url, {}, 5000)).rejects.toThrow(/self[- ]signed|unable to (get local issuer|verify the first)/i);
  });
});
