import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsResponse } from '../../src-shared/api';
import { countsAsPerson } from '../../src-shared/events';
import { startTestCollector, type TestCollector } from '../support/collector';
import { call, CHROME_UA, hitPixel, register } from './helpers';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(async () => {
  await c?.close();
});

async function eventsOf(col: TestCollector, messageId: string) {
  const r = await call(`${col.url}/api/v1/events?limit=1000`, { token: col.adminToken });
  return EventsResponse.parse(r.body).events.filter((e) => e.messageId === messageId);
}

async function expectGif(r: Response): Promise<void> {
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('image/gif');
  expect(r.headers.get('cache-control')).toContain('no-store');
  const bytes = Buffer.from(await r.arrayBuffer());
  expect(bytes.length).toBe(43);
  expect(bytes.subarray(0, 6).toString()).toBe('GIF89a');
}

describe('GET /o/{token}.gif', () => {
  it('answers the GIF and records one email.opened with the reduced IP', async () => {
    const reg = await register(c, c.agentToken);
    const r = await fetch(reg.trackers[0]!.pixelUrl, {
      headers: { 'user-agent': CHROME_UA, 'sec-purpose': 'prefetch' },
    });
    await expectGif(r);
    const evs = await eventsOf(c, reg.messageId);
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({
      type: 'email.opened',
      recipientEmail: 'anna@kunde.example',
      client: { ipPrefix: '127.0.0.0/24', uaFamily: 'Chrome', os: 'Windows' },
    });
  });

  it.each([
    ['/o/AAAAAAAAAAAAAAAAAAAAAAAA.gif'],
    ['/o/short.gif'],
    ['/o/%27%20OR%201%3D1--.gif'],
    ['/o/%3Cscript%3E.gif'],
    ['/o/nogifsuffix'],
    [`/o/${'A'.repeat(150)}.gif`],
  ])('unknown or malformed token %s: still the GIF', async (path) => {
    await expectGif(await fetch(`${c.url}${path}`));
  });

  it('HEAD is answered and recorded only as a scanner, never as the person', async () => {
    const reg = await register(c, c.agentToken);
    const r = await fetch(reg.trackers[0]!.pixelUrl, {
      method: 'HEAD',
      headers: { 'user-agent': CHROME_UA },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toContain('no-store');
    const evs = await eventsOf(c, reg.messageId);
    expect(evs).toHaveLength(1);
    expect(countsAsPerson(evs[0]!.client.verdict)).toBe(false);
    // even a rule set that calls everything human cannot make a HEAD the person's activity
    const naive = await startTestCollector({ classify: () => ({ verdict: 'human', reasons: [] }) });
    try {
      const reg2 = await register(naive, naive.agentToken);
      await hitPixel(reg2.trackers[0]!.pixelUrl, CHROME_UA, 'HEAD');
      await hitPixel(reg2.trackers[0]!.pixelUrl, CHROME_UA, 'GET');
      const two = await eventsOf(naive, reg2.messageId);
      expect(two.map((e) => e.client.verdict)).toEqual(['scanner', 'human']);
      expect(two[0]?.client.reasons).toContain('method.head');
    } finally {
      await naive.close();
    }
  });

  it('still the GIF when the store has failed', async () => {
    const broken = await startTestCollector();
    const reg = await register(broken, broken.agentToken);
    await hitPixel(reg.trackers[0]!.pixelUrl); // token now cached, the next hit reaches the writer
    await broken.collector.store.close();
    await expectGif(await fetch(reg.trackers[0]!.pixelUrl));
    await expectGif(await fetch(`${broken.url}/o/BBBBBBBBBBBBBBBBBBBBBBBB.gif`));
    await broken.close();
  });
});

describe('GET /c/{token}/{n}', () => {
  it('302 to exactly the registered link n, no-store, one email.link_clicked', async () => {
    const links = ['https://makler.example/a?b=1&c=%20x', 'https://makler.example/zweiter'];
    const reg = await register(c, c.agentToken, { links });
    const r = await fetch(reg.trackers[0]!.links[1]!.trackedUrl, {
      redirect: 'manual',
      headers: { 'user-agent': CHROME_UA },
    });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe(links[1]);
    expect(r.headers.get('cache-control')).toContain('no-store');
    const r0 = await fetch(reg.trackers[0]!.links[0]!.trackedUrl, { redirect: 'manual' });
    expect(r0.headers.get('location')).toBe(links[0]);
    const evs = await eventsOf(c, reg.messageId);
    expect(evs.map((e) => [e.type, e.detail.url, e.detail.linkIndex])).toEqual([
      ['email.link_clicked', links[1], 1],
      ['email.link_clicked', links[0], 0],
    ]);
  });

  it('a non-ASCII link is sent as its percent-encoded equivalent', async () => {
    const reg = await register(c, c.agentToken, { links: ['https://makler.example/straße/ö'] });
    const r = await fetch(reg.trackers[0]!.links[0]!.trackedUrl, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('https://makler.example/stra%C3%9Fe/%C3%B6');
  });

  it('never redirects anywhere taken from the request', async () => {
    const reg = await register(c, c.agentToken, { links: ['https://makler.example/only'] });
    const tracked = reg.trackers[0]!.links[0]!.trackedUrl;
    const token = tracked.split('/c/')[1]!.split('/')[0]!;
    // n = 1 (= the number of links) is the honeypot: also a 404 page, tested in hit-path.test.ts
    const attempts = [
      `/c/${token}/2`,
      `/c/${token}/99999`,
      `/c/${token}/-1`,
      `/c/${token}/1e0`,
      `/c/${token}/https%3A%2F%2Fevil.example`,
      `/c/${token}/0%2F..%2F..%2Fevil`,
      `/c/${token}//evil.example`,
      `/c/AAAAAAAAAAAAAAAAAAAAAAAA/0`,
      `/c/%27%20OR%20%271%27%3D%271/0`,
      `/c//evil.example/0`,
    ];
    for (const path of attempts) {
      const r = await fetch(`${c.url}${path}`, { redirect: 'manual' });
      expect(r.headers.get('location'), path).toBeNull();
      expect(r.status, path).toBe(404);
    }
    // query strings are ignored: the redirect goes to the registered link
    const q = await fetch(`${tracked}?url=https://evil.example&next=//evil.example`, { redirect: 'manual' });
    expect(q.headers.get('location')).toBe('https://makler.example/only');
  });

  it('the honeypot (n = number of links): recorded as a honeypot click, answered as an unknown link', async () => {
    const reg = await register(c, c.agentToken, {
      links: ['https://makler.example/a', 'https://makler.example/b'],
    });
    const t = reg.trackers[0]!;
    const unknown = await fetch(`${c.url}/c/AAAAAAAAAAAAAAAAAAAAAAAA/0`, { redirect: 'manual' });
    const trap = await fetch(t.honeypotUrl!, { redirect: 'manual', headers: { 'user-agent': CHROME_UA } });
    expect(trap.status).toBe(404);
    expect(trap.headers.get('location')).toBeNull();
    expect(trap.headers.get('content-type')).toBe(unknown.headers.get('content-type'));
    expect(await trap.text()).toBe(await unknown.text());
    // one past the honeypot is an unknown link: not recorded
    const beyond = await fetch(t.honeypotUrl!.replace(/\/2$/, '/3'), { redirect: 'manual' });
    expect(beyond.status).toBe(404);
    const evs = await eventsOf(c, reg.messageId);
    expect(evs).toHaveLength(1);
    expect(evs[0]!.type).toBe('email.link_clicked');
    expect(evs[0]!.detail).toEqual({ linkIndex: 2, honeypot: true });
    expect(countsAsPerson(evs[0]!.client.verdict)).toBe(false);
  });

  it('unknown token: a German 404 page', async () => {
    const r = await fetch(`${c.url}/c/AAAAAAAAAAAAAAAAAAAAAAAA/0`);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('text/html');
    const html = await r.text();
    expect(html).toContain('lang="de"');
    expect(html).toContain('Link nicht gefunden');
  });

  it('unknown tokens are never recorded', async () => {
    const before = EventsResponse.parse(
      (await call(`${c.url}/api/v1/events?limit=1000`, { token: c.adminToken })).body,
    );
    await fetch(`${c.url}/c/CCCCCCCCCCCCCCCCCCCCCCCC/0`);
    await fetch(`${c.url}/o/CCCCCCCCCCCCCCCCCCCCCCCC.gif`);
    const after = EventsResponse.parse(
      (await call(`${c.url}/api/v1/events?after=${before.next}`, { token: c.adminToken })).body,
    );
    expect(after.events).toHaveLength(0);
  });
});

describe('abuse limits', () => {
  it('over the limit the pixel still answers its GIF but records nothing; the API answers 429', async () => {
    const lim = await startTestCollector({
      rateLimit: true,
      rateLimits: {
        publicPerToken: 3,
        publicPerIp: 1000,
        apiPerToken: 1000,
        apiPerIp: 1000,
        authFailuresPerIp: 3,
      },
    });
    try {
      const reg = await register(lim, lim.agentToken);
      for (let i = 0; i < 6; i++) await expectGif(await fetch(reg.trackers[0]!.pixelUrl));
      expect(await eventsOf(lim, reg.messageId)).toHaveLength(3);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await call(`${lim.url}/api/v1/me`, { token: `blz_${'Z'.repeat(43)}` })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const limited = await call(`${lim.url}/api/v1/me`, { token: `blz_${'Z'.repeat(43)}` });
      expect(limited.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    } finally {
      await lim.close();
    }
  });

  it('the per-token API limit answers 429', async () => {
    const lim = await startTestCollector({ rateLimit: true, rateLimits: { apiPerToken: 2 } });
    try {
      const s = [];
      for (let i = 0; i < 3; i++)
        s.push((await call(`${lim.url}/api/v1/me`, { token: lim.agentToken })).status);
      expect(s).toEqual([200, 200, 429]);
    } finally {
      await lim.close();
    }
  });
});
