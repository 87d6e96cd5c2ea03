import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src-shared/events';
import { classify, classifySequence, type HitContext, type HitSignals } from '../../src-collector/classify';

const SENT = new Date('2026-10-05T08:00:00Z');
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const OUTLOOK = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)';
const HOME = '87.212.194.59';

function hit(over: Partial<HitSignals> & { sec?: number }): HitSignals {
  const { sec = 3 * 3600, ...rest } = over;
  return {
    kind: 'click',
    linkIndex: 0,
    method: 'GET',
    at: new Date(SENT.getTime() + sec * 1000),
    ip: HOME,
    userAgent: CHROME,
    headers: {},
    ...rest,
  };
}

function ctx(
  previous: { signals: HitSignals; verdict: Verdict }[] = [],
  senderIps = ['203.0.113.9'],
): HitContext {
  return { sentAt: SENT, linkCount: 3, senderIps, previous: previous.map((p) => ({ ...p, reasons: [] })) };
}

const base = { sentAt: SENT, linkCount: 3, senderIps: ['203.0.113.9'] };

describe('single-hit signals', () => {
  it('a person in a browser hours after sending is human', () => {
    expect(classify(hit({ linkIndex: 2 }), ctx())).toEqual({ verdict: 'human', reasons: ['ua.browser'] });
    expect(classify(hit({ kind: 'open', userAgent: OUTLOOK }), ctx()).reasons).toEqual(['ua.mail_client']);
  });

  it('HEAD is a scanner', () => {
    expect(classify(hit({ method: 'HEAD', userAgent: '' }), ctx())).toMatchObject({
      verdict: 'scanner',
      reasons: ['method.head'],
    });
  });

  it('prefetch headers make a prefetch, each one', () => {
    const cases: [HitSignals['headers'], string][] = [
      [{ 'sec-purpose': 'prefetch;prerender' }, 'header.sec_purpose_prefetch'],
      [{ 'sec-purpose': 'prefetch' }, 'header.sec_purpose_prefetch'],
      [{ purpose: 'prefetch' }, 'header.purpose_prefetch'],
      [{ 'x-moz': 'prefetch' }, 'header.x_moz_prefetch'],
      [{ 'x-purpose': 'preview' }, 'header.x_purpose_preview'],
    ];
    for (const [headers, reason] of cases) {
      expect(classify(hit({ kind: 'landing', headers }), ctx())).toMatchObject({
        verdict: 'prefetch',
        reasons: [reason],
      });
    }
    expect(classify(hit({ headers: { accept: 'text/html' } }), ctx()).verdict).toBe('human');
  });

  it('Gmail: receipt fetch at delivery is prefetch, the image proxy later is a real open', () => {
    const fetch = hit({
      kind: 'open',
      sec: 2,
      ip: '66.249.94.84',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.246',
    });
    expect(classify(fetch, ctx())).toMatchObject({ verdict: 'prefetch', ipOwner: 'google' });
    const proxy = hit({
      kind: 'open',
      ip: '2a00:1450:4001:81c::2004',
      userAgent: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
    });
    expect(classify(proxy, ctx())).toEqual({
      verdict: 'proxy',
      reasons: ['ua.mail_proxy', 'ip.mail_provider'],
      ipOwner: 'google',
    });
  });

  it('Apple MPP fetch is prefetch', () => {
    expect(
      classify(hit({ kind: 'open', sec: 40, ip: '17.56.152.252', userAgent: 'Mozilla/5.0' }), ctx()),
    ).toMatchObject({
      verdict: 'prefetch',
      reasons: ['ip.apple_mpp', 'ua.bare_mozilla'],
      ipOwner: 'apple',
    });
  });

  it('owners: Safe Links and gateways are scanners; preview bots are previews', () => {
    expect(classify(hit({ sec: 12, ip: '104.47.7.80' }), ctx())).toMatchObject({
      verdict: 'scanner',
      ipOwner: 'microsoft',
    });
    expect(classify(hit({ sec: 600, ip: '148.163.134.3' }), ctx())).toMatchObject({
      verdict: 'scanner',
      ipOwner: 'proofpoint',
    });
    expect(classify(hit({ sec: 20, ip: '207.211.31.200' }), ctx())).toMatchObject({
      verdict: 'scanner',
      ipOwner: 'mimecast',
    });
    expect(
      classify(hit({ kind: 'landing', ip: '31.13.115.2', userAgent: 'facebookexternalhit/1.1' }), ctx()),
    ).toMatchObject({
      verdict: 'preview',
      reasons: ['ua.preview', 'ip.preview_network'],
    });
  });

  it('timing: a cloud address is a scanner at delivery, not hours later', () => {
    expect(classify(hit({ sec: 30, ip: '34.90.156.129' }), ctx())).toMatchObject({
      verdict: 'scanner',
      reasons: ['ip.cloud', 'timing.at_delivery'],
    });
    expect(classify(hit({ sec: 5 * 3600, ip: '34.90.156.129' }), ctx())).toMatchObject({
      verdict: 'human',
      reasons: ['ua.browser', 'ip.cloud'],
    });
    // a mail client rendering the pixel on a cloud desktop right away is a person
    expect(classify(hit({ kind: 'open', sec: 60, ip: '20.50.1.1', userAgent: OUTLOOK }), ctx()).verdict).toBe(
      'human',
    );
  });

  it('scripts and empty agents are scanners', () => {
    expect(classify(hit({ userAgent: 'curl/8.5.0' }), ctx()).reasons).toEqual(['ua.script']);
    expect(classify(hit({ userAgent: '' }), ctx()).reasons).toEqual(['ua.empty']);
  });

  it("self: the sender's address, or its IPv6 /64", () => {
    expect(classify(hit({ ip: '203.0.113.9', userAgent: OUTLOOK }), ctx())).toEqual({
      verdict: 'self',
      reasons: ['ip.sender'],
    });
    expect(classify(hit({ ip: '2001:db8:5:6:aaaa::1' }), ctx([], ['2001:db8:5:6::77'])).verdict).toBe('self');
    // issue 21: another address of the sender's office block is the agent's side …
    expect(classify(hit({ ip: '203.0.113.10' }), ctx())).toEqual({
      verdict: 'self',
      reasons: ['ip.sender_network'],
    });
    // … unless the account shares its network with prospects
    expect(
      classify(hit({ ip: '203.0.113.10' }), { ...ctx(), sharesNetworkWithProspects: true }).verdict,
    ).toBe('human');
    expect(classify(hit({ ip: '203.0.114.10' }), ctx()).verdict).toBe('human');
  });
});

describe('context signals', () => {
  it('burst: two links within a second from one /24 make a scanner and revise the first', () => {
    const first = hit({ sec: 100, ip: '88.198.10.5', linkIndex: 0 });
    const second = hit({ sec: 100.4, ip: '88.198.10.77', linkIndex: 1 });
    expect(classify(first, ctx()).verdict).toBe('human');
    const c = classify(second, ctx([{ signals: first, verdict: 'human' }]));
    expect(c).toMatchObject({ verdict: 'scanner', reasons: ['timing.burst'] });
    expect(c.revise).toEqual([
      { index: 0, verdict: 'scanner', reasons: ['timing.burst', 'context.revised'] },
    ]);
  });

  it('no burst: the same two links ten seconds apart are a person', () => {
    const first = hit({ sec: 100, linkIndex: 0 });
    const second = hit({ sec: 110, linkIndex: 1 });
    expect(classify(second, ctx([{ signals: first, verdict: 'human' }]))).toMatchObject({
      verdict: 'human',
      reasons: ['ua.browser'],
    });
  });

  it('honeypot: the hidden link is a scanner, and so is its burst before and after', () => {
    const before = hit({ sec: 50, ip: '51.68.3.4', linkIndex: 2 });
    const trap = hit({ sec: 50.3, ip: '51.68.200.9', linkIndex: -1, honeypot: true });
    const c = classify(trap, ctx([{ signals: before, verdict: 'human' }]));
    expect(c.verdict).toBe('scanner');
    expect(c.reasons).toEqual(['link.honeypot']);
    expect(c.revise?.map((r) => r.index)).toEqual([0]);
    const after = hit({ sec: 51, ip: '145.239.1.1', linkIndex: 0 });
    expect(
      classify(
        after,
        ctx([
          { signals: before, verdict: 'scanner' },
          { signals: trap, verdict: 'scanner' },
        ]),
      ),
    ).toMatchObject({
      verdict: 'scanner',
      reasons: ['burst.honeypot'],
    });
    // a person clicking minutes after the honeypot was hit is not part of it
    const later = hit({ sec: 3 * 3600, linkIndex: 0, userAgent: OUTLOOK });
    expect(classify(later, ctx([{ signals: trap, verdict: 'scanner' }])).verdict).toBe('human');
  });

  it('a later HEAD from the same source revises the GET just before it', () => {
    const get = hit({ sec: 80, ip: '5.9.1.1', linkIndex: 0 });
    const head = hit({ sec: 80.2, ip: '5.9.1.2', linkIndex: 0, method: 'HEAD', userAgent: '' });
    const c = classify(head, ctx([{ signals: get, verdict: 'human' }]));
    expect(c.revise).toEqual([
      { index: 0, verdict: 'scanner', reasons: ['context.burst_with_machine', 'context.revised'] },
    ]);
  });

  it('a hit from a network that just produced a scanner verdict is that scanner', () => {
    const scan = hit({ sec: 20, ip: '88.198.10.5', userAgent: 'curl/8.5.0' });
    const open = hit({ kind: 'open', linkIndex: undefined, sec: 45, ip: '88.198.10.6' });
    expect(classify(open, ctx([{ signals: scan, verdict: 'scanner' }])).reasons).toEqual([
      'context.scanner_network',
    ]);
  });
});

describe('classifySequence', () => {
  it('replays in time order, applies revisions and reports arrival verdicts', () => {
    const hits = [
      hit({ sec: 3 * 3600, linkIndex: 0, userAgent: OUTLOOK, kind: 'open' }),
      hit({ sec: 30.5, ip: '88.198.10.77', linkIndex: 1 }),
      hit({ sec: 30, ip: '88.198.10.5', linkIndex: 0 }),
    ];
    const out = classifySequence(hits, base);
    expect(out.map((o) => o.inputIndex)).toEqual([2, 1, 0]);
    expect(out.map((o) => o.verdict)).toEqual(['scanner', 'scanner', 'human']);
    expect(out[0]?.arrivalVerdict).toBe('human');
    expect(out[0]?.revisedBy).toBe(1);
    expect(out[0]?.reasons).toEqual(['timing.burst', 'context.revised']);
  });
});
