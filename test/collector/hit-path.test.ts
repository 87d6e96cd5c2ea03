import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsResponse } from '../../src-shared/api';
import { startTestCollector, type TestCollector } from '../support/collector';
import { call, CHROME_UA, register } from './helpers';

/**
 * The fast hit path (issue 7): pixel and click answered from node:http in front of fastify, the
 * classifier's context kept in memory per message, batches pipelined into the writer thread.
 * Requests carrying X-Forwarded-For take fastify's route (trustProxy decides the address), so
 * each answer is compared between the two paths.
 */
let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector({ trustProxy: '127.0.0.1' });
});
afterAll(async () => {
  await c?.close();
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function raw(method: string, url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const r = request(url, { method, headers: { 'user-agent': CHROME_UA, ...headers } }, (m) => {
      const chunks: Buffer[] = [];
      m.on('data', (d: Buffer) => chunks.push(d));
      m.on('end', () => {
        const { date: _date, ...rest } = m.headers;
        resolve({ status: m.statusCode ?? 0, headers: rest, body: Buffer.concat(chunks) });
      });
    });
    r.on('error', reject);
    r.end();
  });
}

async function events(messageId: string) {
  const r = await call(`${c.url}/api/v1/events?limit=1000`, { token: c.adminToken });
  return EventsResponse.parse(r.body).events.filter((e) => e.messageId === messageId);
}

/** a client address outside the sender's (loopback) one, set through the trusted proxy header */
const FROM = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });

describe('fast path and fastify answer alike', () => {
  it('pixel, click, unknown link, HEAD: same status, headers and body on both paths', async () => {
    const reg = await register(c, c.agentToken, {
      links: ['https://makler.example/a', 'https://makler.example/ä'],
    });
    const t = reg.trackers[0]!;
    const paths = [
      new URL(t.pixelUrl).pathname,
      `${new URL(t.pixelUrl).pathname}?x=1`,
      new URL(t.links[0]!.trackedUrl).pathname,
      new URL(t.links[1]!.trackedUrl).pathname,
      new URL(t.links[0]!.trackedUrl).pathname.replace(/\/0$/, '/7'),
      '/c/unknownunknownunknown/0',
      '/o/short.gif',
    ];
    for (const method of ['GET', 'HEAD']) {
      for (const p of paths) {
        const fast = await raw(method, `${c.url}${p}`);
        const slow = await raw(method, `${c.url}${p}`, FROM('127.0.0.1'));
        expect({ p, method, ...fast }).toEqual({ p, method, ...slow });
      }
    }
    // each answered GET/HEAD of a known pixel or link is one event: 2 pixel + 2 links, twice, two methods
    expect(await events(reg.messageId)).toHaveLength(16);
  });
});

describe('classifier context kept in memory', () => {
  it('a later burst revises a hit committed in an earlier batch, with a new seq', async () => {
    const reg = await register(c, c.agentToken, {
      links: ['https://makler.example/1', 'https://makler.example/2'],
    });
    const [l0, l1] = reg.trackers[0]!.links;
    const first = await raw('GET', l0!.trackedUrl, FROM('198.51.100.7'));
    expect(first.status).toBe(302);
    const before = await events(reg.messageId);
    expect(before).toHaveLength(1);
    expect(before[0]!.client.verdict).toBe('human');
    // a second link from the same network within the burst gap: a scanner, and so was the first
    await raw('GET', l1!.trackedUrl, FROM('198.51.100.8'));
    const after = await events(reg.messageId);
    expect(after.map((e) => e.client.verdict)).toEqual(['scanner', 'scanner']);
    const revised = after.find((e) => e.id === before[0]!.id)!;
    expect(revised.client.reasons).toContain('context.revised');
    expect(revised.seq).toBeGreaterThan(before[0]!.seq);
  });

  it('an agent correction is not undone by a later revision', async () => {
    const reg = await register(c, c.agentToken, {
      links: ['https://makler.example/1', 'https://makler.example/2'],
    });
    const [l0, l1] = reg.trackers[0]!.links;
    await raw('GET', l0!.trackedUrl, FROM('203.0.113.20'));
    const [ev] = await events(reg.messageId);
    const put = await call(`${c.url}/api/v1/events/${ev!.id}/verdict`, {
      token: c.agentToken,
      body: { verdict: 'proxy' },
    });
    expect(put.status).toBe(200);
    await raw('GET', l1!.trackedUrl, FROM('203.0.113.21'));
    const all = await events(reg.messageId);
    expect(all.find((e) => e.id === ev!.id)!.client).toMatchObject({
      verdict: 'proxy',
      correctedFrom: 'human',
    });
  });
});

describe('pipelined commits', () => {
  it('concurrent hits: every one stored once, seqs contiguous and in commit order', async () => {
    const reg = await register(c, c.agentToken, {
      recipients: Array.from({ length: 20 }, (_, i) => ({ email: `r${i}@kunde.example` })),
    });
    const startAfter = Number(
      (await call<{ next: number }>(`${c.url}/api/v1/events?limit=1000`, { token: c.adminToken })).body.next,
    );
    const hits = Array.from({ length: 300 }, (_, i) => reg.trackers[i % 20]!.pixelUrl);
    const answers = await Promise.all(hits.map((u) => raw('GET', u)));
    expect(answers.every((a) => a.status === 200 && a.body.length === 43)).toBe(true);
    const page = EventsResponse.parse(
      (await call(`${c.url}/api/v1/events?after=${startAfter}&limit=1000`, { token: c.adminToken })).body,
    );
    const mine = page.events.filter((e) => e.messageId === reg.messageId);
    expect(mine).toHaveLength(300);
    expect(new Set(mine.map((e) => e.id)).size).toBe(300);
    const seqs = page.events.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => startAfter + 1 + i));
  });
});
