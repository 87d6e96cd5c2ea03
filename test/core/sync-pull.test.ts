import { msg } from '../../src-shared/messages';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsResponse } from '../../src-shared/api';
import type { TrackingEvent } from '../../src-shared/events';
import { openCache } from '../../src-main/core/cache';
import { createCollectorClient } from '../../src-main/core/collector/client';
import { listenToStream } from '../../src-main/core/collector/sse';
import { applyPage, CURSOR_KEY } from '../../src-main/core/sync/apply';
import { pullPages } from '../../src-main/core/sync/pull';
import { startTestCollector, type TestCollector } from '../support/collector';
import { hit, removeDir, tempDir, waitFor } from './helpers';

let col: TestCollector;
let dir: string;

const event = (id: string, seq: number, verdict: 'human' | 'scanner' = 'human'): TrackingEvent => ({
  id,
  seq,
  type: 'email.opened',
  messageId: 'm-unknown',
  recipientEmail: null,
  occurredAt: '2026-01-01T00:00:00.000Z',
  detail: {},
  client: { verdict, reasons: [] },
});

beforeAll(async () => {
  dir = tempDir('blitz-sync-pull-');
  col = await startTestCollector({ db: join(dir, 'collector.db'), trustProxy: true });
  const agent = createCollectorClient({ baseUrl: col.url, token: col.agentToken });
  const r = await agent.registerMessage({
    clientId: 'pull-1',
    subject: 'Exposé',
    sentIndividually: true,
    recipients: [{ email: 'anna@kunde.example' }, { email: 'bert@kunde.example' }],
    links: ['https://www.example.org/objekt/1'],
  });
  if (!r.ok) throw new Error(r.error.detail);
  for (let i = 0; i < 7; i++) expect(await hit(r.value.trackers[i % 2]!.pixelUrl)).toBe(200);
});

afterAll(async () => {
  await col?.close();
  removeDir(dir);
});

describe('pullPages (next page requested while the current one is applied)', () => {
  it('brings the same events and cursor as a whole pull, asking each page after the previous next', async () => {
    const client = createCollectorClient({ baseUrl: col.url, token: col.agentToken });
    const asked: number[] = [];
    const spy = {
      pullEvents: (after: number, limit: number) => {
        asked.push(after);
        return client.pullEvents(after, limit);
      },
    };
    const cache = openCache(join(dir, 'cache-1.sqlite'));
    try {
      const nexts: number[] = [];
      const r = await pullPages({ cache, client: spy, pageSize: 3, onPage: (_, p) => nexts.push(p.next) });
      expect(r.ok && r.value.events).toBe(7);
      // page 1 asked from 0, every later page from the previous page's next, then one empty page
      expect(asked).toEqual([0, ...nexts.slice(0, -1)]);
      const whole = await client.pullEvents(0, 1000);
      if (!whole.ok) throw new Error('pull');
      expect(cache.meta.get<number>(CURSOR_KEY)).toBe(whole.value.next);
      expect(cache.events.count()).toBe(7);
      // nothing new: one request, nothing applied, cursor kept
      asked.length = 0;
      const again = await pullPages({ cache, client: spy, pageSize: 3 });
      expect(again.ok && again.value.events).toBe(0);
      expect(asked).toEqual([whole.value.next]);
      expect(cache.meta.get<number>(CURSOR_KEY)).toBe(whole.value.next);
    } finally {
      cache.close();
    }
  });

  it('stops at a failed page with the pages before it committed', async () => {
    const client = createCollectorClient({ baseUrl: col.url, token: col.agentToken });
    let calls = 0;
    const flaky = {
      pullEvents: (after: number, limit: number) =>
        ++calls === 2
          ? Promise.resolve({
              ok: false as const,
              error: { code: 'collector_unreachable', message: msg('collectorUnreachable'), transient: true },
            })
          : client.pullEvents(after, limit),
    };
    const cache = openCache(join(dir, 'cache-2.sqlite'));
    try {
      const r = await pullPages({ cache, client: flaky, pageSize: 2 });
      expect(r.ok).toBe(false);
      const first = await client.pullEvents(0, 2);
      if (!first.ok) throw new Error('pull');
      // only the first page (the registration and an event) committed
      expect(cache.events.count()).toBe(first.value.events.length);
      expect(cache.meta.get<number>(CURSOR_KEY)).toBe(first.value.next);
    } finally {
      cache.close();
    }
  });
});

describe('the batched upsert', () => {
  it('inside one page: a repeated id with a higher seq updates, a lower or equal one is unchanged', () => {
    const cache = openCache(join(dir, 'cache-3.sqlite'));
    try {
      const page = (
        events: TrackingEvent[],
        next: number,
      ): Pick<EventsResponse, 'events' | 'messages' | 'next'> => ({
        events,
        messages: [],
        next,
      });
      const r = applyPage(
        cache,
        page([event('b', 3, 'scanner'), event('a', 1), event('b', 2), event('a', 1)], 3),
      );
      // applied in seq order: a inserted, b inserted (seq 2), b updated (seq 3); the second a is a no-op
      expect(r.changes.map((c) => [c.event.id, c.event.seq, c.outcome])).toEqual([
        ['a', 1, 'inserted'],
        ['b', 2, 'inserted'],
        ['b', 3, 'updated'],
      ]);
      expect(cache.events.get('b')!.event.client.verdict).toBe('scanner');
      expect(applyPage(cache, page([event('b', 2), event('a', 1)], 2)).changes).toEqual([]);
      expect(cache.events.get('b')!.event.seq).toBe(3);
      expect(cache.meta.get<number>(CURSOR_KEY)).toBe(3);
      expect(cache.events.count()).toBe(2);
    } finally {
      cache.close();
    }
  });
});

describe('the event stream', () => {
  it('resumes from the cursor: Last-Event-ID read at every connect', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // end at once: the listener reconnects and must send the cursor as it is then
      res.end('id: 9\ndata: {}\n\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    let cursor = 41;
    let pokes = 0;
    const l = listenToStream({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/events/stream`,
      token: 't',
      resumeFrom: () => cursor++,
      onPoke: () => pokes++,
      backoffBaseMs: 5,
      backoffMaxMs: 10,
    });
    try {
      await waitFor(() => seen.length >= 2, 'a reconnect');
      expect(seen[0]!['last-event-id']).toBe('41');
      expect(seen[1]!['last-event-id']).toBe('42');
      expect(seen[0]!.authorization).toBe('Bearer t');
      expect(pokes).toBeGreaterThanOrEqual(2);
    } finally {
      l.stop();
      await new Promise((r) => server.close(r));
    }
  });

  it('the collector then streams only what is newer than the cursor', async () => {
    const client = createCollectorClient({ baseUrl: col.url, token: col.agentToken });
    const whole = await client.pullEvents(0, 1000);
    if (!whole.ok) throw new Error('pull');
    const lastSeq = whole.value.events[whole.value.events.length - 1]!.seq;
    const ac = new AbortController();
    const res = await fetch(client.streamUrl, {
      headers: { authorization: `Bearer ${col.agentToken}`, 'last-event-id': String(lastSeq - 1) },
      signal: ac.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    try {
      while (!text.includes(`id: ${lastSeq}\n`)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    } finally {
      ac.abort();
    }
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([lastSeq]);
  });
});
