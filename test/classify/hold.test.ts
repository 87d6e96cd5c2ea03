import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src-shared/events';
import { HOLD_CAP_MS, HoldQueue, settleDelayMs } from '../../src-shared/hold';
import { classify, type HitContext, type HitSignals } from '../../src-collector/classify';
import { computeMetrics, replayScenarios } from '../../src-collector/classify/evaluate';
import { notificationFigures } from '../../src-collector/classify/notifications';
import { generateHoldScenarios, HOLD_KINDS } from './generate-hold-scenarios';
import { generateScenarios } from './generate-scenarios';

const SENT = new Date('2026-11-05T08:00:00Z');
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const OUTLOOK = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)';
const HOME = '87.212.194.59';
const HETZNER = '88.198.10.5';
const AZURE = '20.50.1.7';
const DAY = 24 * 3600;

function hit(over: Partial<HitSignals> & { sec?: number }): HitSignals {
  const { sec = DAY, ...rest } = over;
  return {
    kind: 'click',
    linkIndex: 2,
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
  extra: Partial<HitContext> = {},
): HitContext {
  return {
    sentAt: SENT,
    linkCount: 4,
    senderIps: ['203.0.113.9', '2001:db8:aa:bb00::1'],
    previous: previous.map((p) => ({ ...p, reasons: [] })),
    ...extra,
  };
}

describe('hold: a person’s verdict waits only while a later hit could overturn it', () => {
  it('a person a day later, on a third link, with nothing around: no hold', () => {
    expect(classify(hit({}), ctx()).hold).toBeUndefined();
  });

  it('within the hour after sending: held for a burst (gap + margin)', () => {
    expect(classify(hit({ sec: 20 * 60 }), ctx()).hold).toEqual({ ms: 3_000, reasons: ['hold.delivery'] });
  });

  it('right after another hit of the message: held', () => {
    const before = hit({ sec: DAY - 1, kind: 'open', ip: '93.1.2.3', userAgent: OUTLOOK });
    expect(classify(hit({}), ctx([{ signals: before, verdict: 'human' }])).hold?.reasons).toEqual([
      'hold.after_hit',
    ]);
  });

  it('from a cloud: held for a time-of-click twin', () => {
    expect(classify(hit({ ip: AZURE }), ctx()).hold).toEqual({ ms: 11_000, reasons: ['hold.cloud'] });
  });

  it('link 0 clicked first: held for a link walk, unless the network opened the mail as a person', () => {
    expect(classify(hit({ linkIndex: 0 }), ctx()).hold?.reasons).toEqual(['hold.link_order']);
    const open = hit({ sec: DAY - 600, kind: 'open', userAgent: OUTLOOK });
    expect(classify(hit({ linkIndex: 0 }), ctx([{ signals: open, verdict: 'human' }])).hold).toBeUndefined();
  });

  it('never longer than the cap, and never on a machine verdict', () => {
    const c = classify(hit({ ip: AZURE, sec: 30 * 60, linkIndex: 0 }), ctx());
    expect(c.hold?.ms).toBeLessThanOrEqual(HOLD_CAP_MS);
    expect(classify(hit({ method: 'HEAD' }), ctx()).hold).toBeUndefined();
  });
});

describe('burst after delivery', () => {
  it('the first link of an unlisted gateway 40 min after sending is held, and the second link revises it within the hold', () => {
    const first = hit({ sec: 40 * 60, ip: HETZNER, linkIndex: 1 });
    const a = classify(first, ctx());
    expect(a.verdict).toBe('human');
    expect(a.hold?.reasons).toContain('hold.delivery');
    const second = hit({ sec: 40 * 60 + 0.6, ip: '88.198.10.99', linkIndex: 3 });
    const b = classify(second, ctx([{ signals: first, verdict: 'human' }]));
    expect(b.verdict).toBe('scanner');
    expect(b.revise?.[0]).toMatchObject({ index: 0, verdict: 'scanner' });
    expect(0.6 * 1000).toBeLessThan(a.hold?.ms ?? 0);
  });
});

describe('link order', () => {
  it('a crawler walking 0, 1 within 5 s, or 0, 1, 2 within 10 s each, is a scanner; the earlier clicks revised', () => {
    const c0 = hit({ ip: HETZNER, linkIndex: 0 });
    const c1 = hit({ sec: DAY + 3, ip: HETZNER, linkIndex: 1 });
    const r = classify(c1, ctx([{ signals: c0, verdict: 'human' }]));
    expect(r).toMatchObject({ verdict: 'scanner', reasons: ['timing.link_walk'] });
    expect(r.revise?.map((x) => x.index)).toEqual([0]);

    const s0 = hit({ ip: HETZNER, linkIndex: 0 });
    const s1 = hit({ sec: DAY + 7, ip: HETZNER, linkIndex: 1 });
    const s2 = hit({ sec: DAY + 14, ip: HETZNER, linkIndex: 2 });
    const mid = classify(s1, ctx([{ signals: s0, verdict: 'human' }]));
    expect(mid.verdict).toBe('human'); // two links 7 s apart are not enough …
    expect(mid.hold?.reasons).toContain('hold.link_order'); // … but the walk may go on
    const end = classify(
      s2,
      ctx([
        { signals: s0, verdict: 'human' },
        { signals: s1, verdict: 'human' },
      ]),
    );
    expect(end.verdict).toBe('scanner');
    expect(end.revise?.map((x) => x.index)).toEqual([0, 1]);
  });

  it('a person clicking link 1 then link 2, or links out of order, is no walk', () => {
    const a = hit({ linkIndex: 1 });
    expect(
      classify(hit({ sec: DAY + 3, linkIndex: 2 }), ctx([{ signals: a, verdict: 'human' }])).reasons,
    ).not.toContain('timing.link_walk');
    const b = hit({ linkIndex: 0 });
    expect(
      classify(hit({ sec: DAY + 8, linkIndex: 3 }), ctx([{ signals: b, verdict: 'human' }])).verdict,
    ).toBe('human');
  });
});

describe('cloud twin (time-of-click check)', () => {
  it('a cloud fetch of the link the person clicked seconds before is a scanner', () => {
    const person = hit({});
    const r = classify(hit({ sec: DAY + 1.5, ip: AZURE }), ctx([{ signals: person, verdict: 'human' }]));
    expect(r).toMatchObject({ verdict: 'scanner', reasons: ['ip.cloud', 'context.cloud_twin'] });
  });

  it('a cloud fetch first is held, and the person’s click after it revises it', () => {
    const cloud = hit({ ip: AZURE });
    const first = classify(cloud, ctx());
    expect(first.verdict).toBe('human');
    expect(first.hold?.reasons).toEqual(['hold.cloud']);
    const person = classify(hit({ sec: DAY + 6 }), ctx([{ signals: cloud, verdict: 'human' }]));
    expect(person.verdict).toBe('human');
    expect(person.revise).toEqual([
      { index: 0, verdict: 'scanner', reasons: ['ip.cloud', 'context.cloud_twin', 'context.revised'] },
    ]);
  });

  it('another link, or long after, is no twin: a person on a cloud desktop stays a person', () => {
    const cloud = hit({ ip: AZURE, linkIndex: 1, userAgent: OUTLOOK });
    expect(
      classify(hit({ sec: DAY + 2 }), ctx([{ signals: cloud, verdict: 'human' }])).revise,
    ).toBeUndefined();
    const late = hit({ ip: AZURE });
    expect(
      classify(hit({ sec: DAY + 60 }), ctx([{ signals: late, verdict: 'human' }])).revise,
    ).toBeUndefined();
  });
});

describe('the agent’s office block', () => {
  it('IPv4 /24 and IPv6 /56 of a sender address are the agent; outside them a person', () => {
    expect(classify(hit({ ip: '203.0.113.200' }), ctx())).toMatchObject({
      verdict: 'self',
      reasons: ['ip.sender_network'],
    });
    expect(classify(hit({ ip: '2001:db8:aa:bb42::9' }), ctx()).verdict).toBe('self');
    expect(classify(hit({ ip: '2001:db8:aa:cc00::9' }), ctx()).verdict).toBe('human');
    expect(classify(hit({ ip: '203.0.112.200' }), ctx()).verdict).toBe('human');
  });

  it('an account sharing its network with prospects keeps only the exact addresses', () => {
    const shared = { sharesNetworkWithProspects: true };
    expect(classify(hit({ ip: '203.0.113.200' }), ctx([], shared)).verdict).toBe('human');
    expect(classify(hit({ ip: '203.0.113.9' }), ctx([], shared)).verdict).toBe('self');
  });
});

describe('broader ranges', () => {
  it('Mimecast South Africa, EOP for US government, Hornetsecurity: scanners by range', () => {
    for (const ip of ['41.74.193.10', '23.103.133.4', '185.140.205.7']) {
      expect(classify(hit({ ip }), ctx()), ip).toMatchObject({ verdict: 'scanner' });
      expect(classify(hit({ ip }), ctx()).reasons).toContain('ip.mail_security');
    }
  });

  it('Apple relay: the pixel without a mail client is MPP, a click through Private Relay a person', () => {
    expect(classify(hit({ kind: 'open', ip: '104.28.3.4', userAgent: 'Mozilla/5.0' }), ctx())).toMatchObject({
      verdict: 'prefetch',
      reasons: ['ip.apple_relay', 'ua.bare_mozilla'],
    });
    const click = classify(hit({ ip: '2a02:26f7:b3c0:4000::1' }), ctx());
    expect(click.verdict).toBe('human');
    expect(click.reasons).toContain('ip.apple_relay');
  });
});

describe('HoldQueue (the desktop and the replay share it)', () => {
  it('releases a message’s held items together once the last settled, never past the cap', () => {
    const q = new HoldQueue<string>();
    q.add('m', 'a', 3_000, 0);
    q.add('m', 'b', 3_000, 2_000);
    expect(q.nextDue()).toBe(5_000);
    expect(q.takeDue(4_999)).toEqual([]);
    expect(q.takeDue(5_000).map((x) => x.item)).toEqual(['a', 'b']);
    q.add('n', 'c', 11_000, 0);
    q.add('n', 'd', 11_000, 25_000); // would take c past 30 s: its own group
    expect(q.takeDue(11_000).map((x) => x.item)).toEqual(['c']);
    expect(q.takeDue(36_000).map((x) => x.item)).toEqual(['d']);
    expect(q.size).toBe(0);
  });

  it('settleDelayMs: the rest of the hold, at most the hold and the cap', () => {
    expect(settleDelayMs(0, 3_000, 1_000)).toBe(2_000);
    expect(settleDelayMs(0, 3_000, -60_000)).toBe(3_000); // desktop clock behind
    expect(settleDelayMs(0, 3_000, 10_000)).toBe(0);
    expect(settleDelayMs(0, 90_000, 0)).toBe(HOLD_CAP_MS);
  });
});

describe('issue 21 goal on labelled sets', () => {
  it('the new families: accuracy ≥ 99 %, false alarms ≤ 0.5 % with hold-back, no person later than 30 s', () => {
    const scenarios = generateHoldScenarios(20261206, 1500);
    expect(new Set(scenarios.map((s) => s.kind)).size).toBe(HOLD_KINDS.length);
    const outcomes = replayScenarios(scenarios, classify);
    const m = computeMetrics(outcomes);
    expect(m.accuracy).toBeGreaterThanOrEqual(0.99);
    const held = notificationFigures(outcomes, true);
    const plain = notificationFigures(outcomes, false);
    expect(held.falseAlarmRate).toBeLessThanOrEqual(0.005);
    expect(held.decidedAccuracy).toBeGreaterThanOrEqual(0.99);
    expect(held.lateNotifications).toBe(0);
    expect(held.delayMaxMs).toBeLessThanOrEqual(HOLD_CAP_MS);
    expect(held.missedAlarms).toBeLessThanOrEqual(plain.missedAlarms);
    // without the hold-back the same set raises many false alarms: the hold is what helps
    expect(plain.falseAlarmRate).toBeGreaterThan(0.05);
  });

  it('the earlier generated set keeps its goal and gains from the hold-back', () => {
    const outcomes = replayScenarios(generateScenarios(20261005, 800), classify);
    const held = notificationFigures(outcomes, true);
    expect(held.falseAlarmRate).toBeLessThanOrEqual(0.005);
    expect(held.falseAlarms).toBeLessThan(notificationFigures(outcomes, false).falseAlarms);
    expect(held.lateNotifications).toBe(0);
  });
});
