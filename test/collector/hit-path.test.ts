import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsResponse } from '../../src-shared/api';
import { startCollector, type RunningCollector } from '../../src-collector/server';
import { startTestCollector, type TestCollector } from '../support/collector';
import { call, CHROME_UA, register } from './helpers';

/**
 * The fast hit path (issue 7): pixel and click answered from node:http in front of fastify, the
 * classifier's context kept in memory per message, batches pipelined into the writer thread.
 * `slow` serves the same store with the fast path off, so each answer is compared between the
 * two paths. Loopback is the trusted proxy: X-Forwarded-For sets the client address.
 */
let c: TestCollector;
let slow: RunningCollector;
beforeAll(async () => {
  c = await startTestCollector({ trustProxy: '127.0.0.1' });
  slow = await startCollector({
    store: c.collector.store,
    trustProxy: '127.0.0.1',
    fastPath: false,
    rateLimit: false,
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await slow?.close();
  await c?.close();
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function raw(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const r = request(
      url,
      { method, localAddress, headers: { 'user-agent': CHROME_UA, ...headers } },
      (m) => {
        const chunks: Buffer[] = [];
        m.on('data', (d: Buffer) => chunks.push(d));
        m.on('end', () => {
          const { date: _date, ...rest } = m.headers;
          resolve({ status: m.statusCode ?? 0, headers: rest, body: Buffer.concat(chunks) });
        });
      },
    );
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
      new URL(t.honeypotUrl!).pathname,
      new URL(t.links[0]!.trackedUrl).pathname.replace(/\/0$/, '/3'),
      '/c/unknownunknownunknown/0',
      '/o/short.gif',
    ];
    for (const method of ['GET', 'HEAD']) {
      for (const p of paths) {
        const fast = await raw(method, `${c.url}${p}`);
        const viaFastify = await raw(method, `${slow.url}${p}`);
        expect({ p, method, ...fast }).toEqual({ p, method, ...viaFastify });
      }
    }
    // each answered GET/HEAD of a known pixel, link or the honeypot is one event: 2 pixel + 2 links
    // + honeypot, twice (both paths), two methods
    expect(await events(reg.messageId)).toHaveLength(20);
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

describe('honeypot', () => {
  it('its hit is a scanner, and so are the real clicks of the same burst before and after it', async () => {
    const reg = await register(c, c.agentToken, {
      links: ['https://makler.example/1', 'https://makler.example/2'],
    });
    const t = reg.trackers[0]!;
    // a person-looking click on a real link: human when it arrives alone
    expect((await raw('GET', t.links[0]!.trackedUrl, FROM('198.51.100.30'))).status).toBe(302);
    const [early] = await events(reg.messageId);
    expect(early!.client.verdict).toBe('human');

    const trap = await raw('GET', t.honeypotUrl!, FROM('198.51.100.31'));
    expect(trap.status).toBe(404);
    expect(trap.headers.location).toBeUndefined();
    const afterTrap = await events(reg.messageId);
    const hp = afterTrap.find((e) => e.detail.honeypot === true)!;
    expect(hp).toMatchObject({ type: 'email.link_clicked', detail: { linkIndex: 2, honeypot: true } });
    expect(hp.client.verdict).toBe('scanner');
    expect(hp.client.reasons).toEqual(['link.honeypot']);
    // the earlier click was the same machine: revised, with a new seq
    const revised = afterTrap.find((e) => e.id === early!.id)!;
    expect(revised.client.verdict).toBe('scanner');
    expect(revised.client.reasons).toEqual(['burst.honeypot', 'context.revised']);
    expect(revised.seq).toBeGreaterThan(early!.seq);

    // a second later, a browser-looking click on the other real link from the same network
    await new Promise((r) => setTimeout(r, 1000));
    expect((await raw('GET', t.links[1]!.trackedUrl, FROM('198.51.100.32'))).status).toBe(302);
    const late = (await events(reg.messageId)).find((e) => e.detail.linkIndex === 1)!;
    expect(late.client.verdict).toBe('scanner');
    expect(late.client.reasons).toEqual(['burst.honeypot']);
  });

  it('n beyond the honeypot is an unknown link: 404 and nothing recorded', async () => {
    const reg = await register(c, c.agentToken, { links: ['https://makler.example/1'] });
    const beyond = reg.trackers[0]!.honeypotUrl!.replace(/\/1$/, '/2');
    expect((await raw('GET', beyond, FROM('198.51.100.40'))).status).toBe(404);
    expect((await raw('GET', beyond.replace(c.url, slow.url), FROM('198.51.100.40'))).status).toBe(404);
    expect(await events(reg.messageId)).toHaveLength(0);
  });
});

describe('client address behind a proxy', () => {
  const prefixes = async (messageId: string) =>
    // by link: the clicks form bursts, and revised events move to a new seq
    (await events(messageId))
      .map((e) => [e.detail.linkIndex, e.client.ipPrefix])
      .sort((a, b) => Number(a[0]) - Number(b[0]));

  it('fast path and fastify take the same address for trusted and untrusted peers', async () => {
    const reg = await register(c, c.agentToken, {
      links: Array.from({ length: 10 }, (_, i) => `https://makler.example/${i}`),
    });
    const link = (n: number, base: string): string =>
      reg.trackers[0]!.links[n]!.trackedUrl.replace(c.url, base);
    const cases: { headers: Record<string, string>; from?: string; want: string }[] = [
      // the trusted proxy (127.0.0.1) names the client
      { headers: FROM('198.51.100.50'), want: '198.51.100.0/24' },
      // forged entries left of the proxy's own are not believed past the first untrusted one
      { headers: FROM('192.0.2.1, 203.0.113.50, 127.0.0.1'), want: '203.0.113.0/24' },
      { headers: FROM(' 192.0.2.1 ,,203.0.113.60 '), want: '203.0.113.0/24' },
      // an untrusted peer (127.0.0.2) cannot set its address by the header
      { headers: FROM('198.51.100.70'), from: '127.0.0.2', want: '127.0.0.0/24' },
      { headers: FROM('not-an-ip'), from: '127.0.0.2', want: '127.0.0.0/24' },
    ];
    const want: unknown[] = [];
    for (const [i, k] of cases.entries()) {
      // even links on the fast path, odd ones through fastify (same store, fast path off)
      expect((await raw('GET', link(2 * i, c.url), k.headers, k.from)).status).toBe(302);
      expect((await raw('GET', link(2 * i + 1, slow.url), k.headers, k.from)).status).toBe(302);
      want.push([2 * i, k.want], [2 * i + 1, k.want]);
    }
    expect(await prefixes(reg.messageId)).toEqual(want);
  });
});
