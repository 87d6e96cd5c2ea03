import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ok } from '../../src-shared/result';
import { EVENTS_NEXT_HEADER } from '../../src-shared/api';
import { createCollectorClient } from '../../src-main/core/collector/client';
import { startTestCollector } from '../support/collector';

/**
 * A first sync asks for page n+1 in `onBody`, before it checks and applies page n
 * (src-main/core/sync/worker/fetcher.ts), so that the collector reads the next page meanwhile.
 * That only helps if the request is on the wire before the check starts: an HTTP agent hands a
 * request its socket on a later tick, and a check that blocks the thread held it back. The
 * collector here runs on a thread of its own and marks in shared memory when a request arrived,
 * so the blocked check can see it.
 */
const arrived = new Int32Array(new SharedArrayBuffer(8));
let server: Worker;
let base = '';

beforeAll(async () => {
  server = new Worker(
    `const { createServer } = require('node:http');
     const { workerData, parentPort } = require('node:worker_threads');
     const arrived = new Int32Array(workerData);
     const s = createServer((req, res) => {
       const after = Number(new URL(req.url, 'http://x').searchParams.get('after'));
       Atomics.store(arrived, after, 1);
       Atomics.notify(arrived, after);
       res.writeHead(200, { 'content-type': 'application/json' });
       res.end(JSON.stringify({ events: [], messages: [], next: after + 1 }));
     });
     s.listen(0, '127.0.0.1', () => parentPort.postMessage(s.address().port));`,
    { eval: true, workerData: arrived.buffer },
  );
  const port = await new Promise<number>((r) => server.once('message', r));
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server.terminate();
});

for (const path of ['bytes', 'text'] as const)
  it(`the request made in onBody reaches the collector before the page is checked (${path})`, async () => {
    Atomics.store(arrived, 1, 0);
    const client = createCollectorClient({ baseUrl: base, token: 't', timeoutMs: 5000 });
    let next: Promise<unknown> | null = null;
    let seenDuringCheck = false;
    // blocks its thread as a check of 1.7 MB does, until the next request arrived (or 2 s)
    const check = (): ReturnType<typeof ok<string>> => {
      seenDuringCheck = Atomics.wait(arrived, 1, 0, 2000) !== 'timed-out';
      return ok('checked');
    };
    const onBody = (): void => {
      next = client.pullEventsBytesChecked(1, 10, () => ok(null));
    };
    const r =
      path === 'bytes'
        ? await client.pullEventsBytesChecked(0, 10, check, { onBody })
        : await client.pullEventsChecked(0, 10, check, onBody);
    expect(r).toEqual(ok('checked'));
    expect(seenDuringCheck).toBe(true);
    await next;
  });

it("a first sync asks for page n+1 on page n's header, while page n's body is still on its way", async () => {
  // page 0's answer: the header, half its body, then nothing more until the request for the
  // next page came (or 2 s passed): asked on the body's tail alone, it would come after the wait
  let sawNextWhileSending = false;
  let release: () => void = () => undefined;
  const nextAsked = new Promise<void>((r) => (release = r));
  const body = Buffer.from(JSON.stringify({ events: [], messages: [], next: 7 }));
  const srv = createServer((req, res) => {
    const after = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('after'));
    if (after === 7) {
      release();
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ events: [], messages: [], next: 7 }));
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(body.length),
      [EVENTS_NEXT_HEADER]: '7',
    });
    res.write(body.subarray(0, 10));
    const rest = (): void => void res.end(body.subarray(10));
    const timer = setTimeout(rest, 2000);
    void nextAsked.then(() => {
      sawNextWhileSending = true;
      clearTimeout(timer);
      rest();
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const { port } = srv.address() as AddressInfo;
    const client = createCollectorClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token: 't',
      timeoutMs: 5000,
    });
    let next: Promise<unknown> | null = null;
    const r = await client.pullEventsBytesChecked(0, 10, () => ok('checked'), {
      onNext: (n) => {
        expect(n).toBe(7);
        next = client.pullEventsBytesChecked(n, 10, () => ok(null));
      },
    });
    expect(r).toEqual(ok('checked'));
    expect(sawNextWhileSending).toBe(true);
    await next;
  } finally {
    await new Promise((r) => srv.close(r));
  }
});

it('the collector sends the next cursor ahead of the page', async () => {
  // the route itself, on a real collector (SQLite store)
  const c = await startTestCollector();
  try {
    const res = await fetch(`${c.url}/api/v1/events?after=0&limit=10`, {
      headers: { authorization: `Bearer ${c.adminToken}` },
    });
    const page = (await res.json()) as { next: number };
    expect(res.headers.get(EVENTS_NEXT_HEADER)).toBe(String(page.next));
  } finally {
    await c.close();
  }
});
