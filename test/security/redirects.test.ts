import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTrackerToken } from '../../src-collector/util/tokens';
import { call, register } from '../collector/helpers';
import { startTestCollector, type TestCollector } from '../support/collector';
import { rawRequest } from './raw-http';

/**
 * Finding 5 of issue 14: plain-ASCII targets left in Location exactly as registered, so
 * `https://example.org\@evil.example/` and `https:evil.example` reached the browser in a form
 * other parsers read differently. Location is now always the WHATWG href of the registered URL,
 * and links with a backslash or credentials are refused when the message is registered.
 */
let c: TestCollector;
let slow: TestCollector;

beforeAll(async () => {
  c = await startTestCollector();
  slow = await startTestCollector({ fastPath: false });
});
afterAll(async () => {
  await c?.close();
  await slow?.close();
});

const VARIANTS = [
  'https:evil.example',
  'https:/evil.example/x',
  'HTTPS://Example.ORG:443/a/../b?q=1#frag',
  'https://example.org/a b',
  'https://example.org/\tx\n',
  'https://example.org/ä?ö=ü',
  'https://bücher.example/',
  'http://example.org:80/%7e/%2e%2e/x',
  'https://example.org/;jsessionid=1',
  'https://[::1]:8443/x',
  'https://example.org./x',
  'https://0x7f.1/',
];

async function location(origin: string, trackedUrl: string): Promise<string | undefined> {
  const u = new URL(trackedUrl);
  const r = await rawRequest(
    origin,
    `GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`,
  );
  expect(r.status).toBe(302);
  return r.headers['location']?.[0];
}

describe('click redirects', () => {
  it('sends the normalised URL of the registered target in Location, on both paths', async () => {
    for (const coll of [c, slow]) {
      const m = await register(coll, coll.agentToken, { links: VARIANTS });
      const links = m.trackers[0]!.links;
      for (const [i, link] of links.entries()) {
        expect(await location(coll.url, link.trackedUrl), VARIANTS[i]).toBe(new URL(VARIANTS[i]!).href);
      }
    }
  });

  it('normalises a target stored before registration refused such links', async () => {
    const token = newTrackerToken();
    const legacy = ['https://example.org\\@evil.example/', 'https://user:pw@example.org/'];
    await c.collector.store.registerMessage({
      accountId: c.accountId,
      userId: c.agentUserId,
      clientId: 'legacy-backslash',
      subject: 's',
      sentIndividually: false,
      recipients: [{ email: 'a@kunde.example' }],
      links: legacy,
      trackers: [{ token, recipientEmail: null, recipientName: null }],
      createdAt: new Date().toISOString(),
    });
    expect(await location(c.url, `${c.url}/c/${token}/0`)).toBe('https://example.org/@evil.example/');
    expect(await location(c.url, `${c.url}/c/${token}/1`)).toBe('https://user:pw@example.org/');
  });

  it.each([
    ['backslash', 'https://example.org\\@evil.example/'],
    ['backslash in the path', 'https://example.org/a\\b'],
    ['user:password', 'https://user:secret@example.org/'],
    ['user only', 'https://user@example.org/'],
    ['empty credentials', 'https://:@example.org/'],
    ['encoded backslash host trick', 'https://example.org%5c@evil.example/'],
  ])('refuses a link with a %s at registration, naming it', async (_name, link) => {
    const r = await call<{ error: { code: string; message: string } }>(`${c.url}/api/v1/messages`, {
      token: c.agentToken,
      body: {
        clientId: `bad-${_name}`,
        subject: 's',
        sentIndividually: false,
        recipients: [{ email: 'a@kunde.example' }],
        links: ['https://ok.example/', link],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(r.body.error.message).toContain('links.1');
    expect(r.body.error.message).toContain(link);
  });
});
