import { afterEach, describe, expect, it } from 'vitest';
import type { EventsResponse } from '../../src-shared/api';
import { startTestCollector, type TestCollector } from '../support/collector';
import { call, hitPixel, register } from './helpers';

/**
 * The sender's own address: a collector remembers the IP its API callers come from and calls a
 * hit from there „self“ (reason ip.sender). In the desktop's local test mode the app and the
 * webmail share 127.0.0.1, so there loopback must not count as the sender's address.
 */
let running: TestCollector | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

async function openFromLoopback(c: TestCollector): Promise<{ verdict: string; reasons: string[] }> {
  // the app's API call: from 127.0.0.1, like every request on this machine
  const reg = await register(c, c.agentToken);
  const pixel = reg.trackers[0]?.pixelUrl;
  if (!pixel) throw new Error('no pixel');
  // the recipient's browser, also on 127.0.0.1, a few seconds "later" is not needed: the rule
  // under test comes before any timing rule
  expect((await hitPixel(pixel)).status).toBe(200);
  for (let i = 0; i < 100; i++) {
    const r = await call<EventsResponse>(`${c.url}/api/v1/events?after=0`, { token: c.agentToken });
    const e = r.body.events.find((x) => x.type === 'email.opened');
    if (e) return { verdict: e.client.verdict, reasons: e.client.reasons };
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error('no open event');
}

describe('sender address and loopback', () => {
  it('a normal collector: an open from the API caller’s address is the sender’s own', async () => {
    running = await startTestCollector();
    const e = await openFromLoopback(running);
    expect(e.verdict).toBe('self');
    expect(e.reasons).toContain('ip.sender');
  });

  it('the local test mode: loopback is not the sender, the open is a person’s', async () => {
    running = await startTestCollector({ loopbackIsNotSender: true });
    const e = await openFromLoopback(running);
    expect(e.reasons).not.toContain('ip.sender');
    expect(e.verdict).toBe('human');
  });

  it('the local test mode still knows a sender calling from a real address', async () => {
    // behind a proxy the API caller's real address is believed: that one is still the sender's
    running = await startTestCollector({ loopbackIsNotSender: true, trustProxy: true });
    const c = running;
    const reg = await call<{ trackers: { pixelUrl: string }[] }>(`${c.url}/api/v1/messages`, {
      token: c.agentToken,
      headers: { 'x-forwarded-for': '203.0.113.9' },
      body: {
        clientId: 'own-address',
        subject: 'Exposé',
        sentIndividually: true,
        recipients: [{ email: 'anna@kunde.example', name: 'Anna Beispiel' }],
        links: [],
      },
    });
    const pixel = reg.body.trackers[0]?.pixelUrl;
    if (!pixel) throw new Error('no pixel');
    const hit = await fetch(pixel, {
      headers: {
        'user-agent':
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
        'x-forwarded-for': '203.0.113.9',
      },
    });
    await hit.arrayBuffer();
    let verdict = '';
    for (let i = 0; i < 100 && !verdict; i++) {
      const r = await call<EventsResponse>(`${c.url}/api/v1/events?after=0`, { token: c.agentToken });
      verdict = r.body.events.find((x) => x.type === 'email.opened')?.client.verdict ?? '';
      if (!verdict) await new Promise((ok) => setTimeout(ok, 50));
    }
    expect(verdict).toBe('self');
  });
});
