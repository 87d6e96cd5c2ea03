import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreEvent, FeedItemDto } from '../../src-shared/ipc';
import { createCollectorClient, type CollectorClient } from '../../src-main/core/collector/client';
import { startTestCollector, type TestCollector } from '../support/collector';
import { hit, removeDir, startTestCore, tempDir, waitFor, type TestCore } from './helpers';

// issue 21 on a real collector (loopback, SQLite) and a real core: a hit whose person's verdict a
// later hit could still overturn is shown at once as being checked, waits, and notifies only if
// it is still a person's after the hold.

const OUTLOOK = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)';
const SCANNER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let col: TestCollector;
let agent: CollectorClient;
let admin: CollectorClient;
let dir: string;
let t: TestCore;
const notifiedAt = new Map<string, number>();

async function register(clientId: string) {
  const r = await agent.registerMessage({
    clientId,
    subject: `Exposé ${clientId}`,
    sentIndividually: true,
    recipients: [{ email: 'paula@kunde.example', name: 'Paula Prüfer' }],
    links: ['https://www.example.org/a', 'https://www.example.org/b', 'https://www.example.org/c'],
  });
  if (!r.ok) throw new Error(r.error.detail);
  return r.value.trackers[0]!;
}

const feedEvents = (activityId: string): FeedItemDto[] =>
  t.events.flatMap((e: CoreEvent) =>
    e.kind === 'feed.event' && e.activityId === activityId ? [e.item] : [],
  );

beforeAll(async () => {
  dir = tempDir('blitz-hold-');
  col = await startTestCollector({ db: join(dir, 'collector.db'), trustProxy: true });
  agent = createCollectorClient({ baseUrl: col.url, token: col.agentToken });
  admin = createCollectorClient({ baseUrl: col.url, token: col.adminToken });
  t = await startTestCore({
    notifier: {
      notify: (n) => {
        if (!notifiedAt.has(n.activityId)) notifiedAt.set(n.activityId, Date.now());
        t.notifications.push(n);
      },
    },
  });
  expect((await t.core.dispatch('settings.saveCollector', { url: col.url, token: col.agentToken })).ok).toBe(
    true,
  );
  await waitFor(
    async () => (await t.core.dispatch('status.get', {})).ok && (await agentSynced()),
    'first sync',
  );
});

async function agentSynced(): Promise<boolean> {
  const s = await t.core.dispatch('status.get', {});
  return s.ok && s.value.collectorReachable === true && !s.value.syncing;
}

afterAll(async () => {
  await t?.close();
  await col?.close();
  removeDir(dir);
});

describe('notification hold-back (real collector + core)', () => {
  it('a person opening right after sending: shown at once as being checked, notified after the hold', async () => {
    const tracker = await register('hold-person');
    const sent = Date.now();
    expect(await hit(tracker.pixelUrl, OUTLOOK, '93.200.14.7')).toBe(200);
    const hitAt = Date.now();
    const first = await waitFor(() => feedEvents('hold-person')[0], 'feed event');
    expect(first.verdict).toBe('human');
    expect(first.checking).toBe(true);
    await waitFor(() => notifiedAt.get('hold-person'), 'notification after the hold', 20_000);
    const delay = notifiedAt.get('hold-person')! - hitAt;
    // the collector held it 3 s (burst gap 2 s + margin 1 s) from the hit's arrival
    expect(delay).toBeGreaterThanOrEqual(2_000);
    expect(delay).toBeLessThanOrEqual(30_000);
    expect(t.notifications.find((n) => n.activityId === 'hold-person')?.title).toBe(
      'Paula Prüfer öffnete die E-Mail',
    );
    // the feed drops the mark once it is settled
    await waitFor(() => feedEvents('hold-person').some((i) => i.checking === false), 'mark cleared');
    const feed = await t.core.dispatch('feed.get', { activityId: 'hold-person' });
    expect(feed.ok && feed.value.items.map((i) => [i.verdict, i.checking])).toEqual([['human', false]]);
    expect(Date.now() - sent).toBeLessThan(60_000);
  });

  it('the first link of a gateway burst: held, revised by the second link, never notified', async () => {
    const tracker = await register('hold-burst');
    expect(await hit(tracker.links[1]!.trackedUrl, SCANNER_UA, '88.198.10.5')).toBe(302);
    const first = await waitFor(() => feedEvents('hold-burst')[0], 'feed event');
    expect(first).toMatchObject({ verdict: 'human', checking: true });
    expect(await hit(tracker.links[2]!.trackedUrl, SCANNER_UA, '88.198.10.77')).toBe(302);
    // the revision reaches the feed …
    await waitFor(async () => {
      const f = await t.core.dispatch('feed.get', { activityId: 'hold-burst' });
      return f.ok && f.value.items.length === 2 && f.value.items.every((i) => i.verdict === 'scanner');
    }, 'revised verdicts');
    // … and after the hold (3 s) and more, still no notification for this message
    await new Promise((r) => setTimeout(r, 5_000));
    await waitFor(async () => {
      const f = await t.core.dispatch('feed.get', { activityId: 'hold-burst' });
      return f.ok && f.value.items.every((i) => i.checking !== true);
    }, 'settled');
    expect(t.notifications.filter((n) => n.activityId === 'hold-burst')).toEqual([]);
  });

  it('the event on the wire carries its settle time in the detail and why it is held in its reasons', async () => {
    const tracker = await register('hold-none');
    expect(await hit(tracker.links[2]!.trackedUrl, SCANNER_UA, '91.64.20.30')).toBe(302);
    await waitFor(() => feedEvents('hold-none')[0], 'feed event');
    const item = feedEvents('hold-none')[0]!;
    expect(item.checking).toBe(true);
    const page = await agent.pullEvents(0, 1000);
    if (!page.ok) throw new Error('pull');
    const e = page.value.events.find(
      (x) => x.messageId && x.detail.url === 'https://www.example.org/c' && x.client.verdict === 'human',
    );
    expect(e?.detail.settleAt).toBeDefined();
    expect(Date.parse(e!.detail.settleAt!) - Date.parse(e!.occurredAt)).toBe(3_000);
    expect(e?.client.reasons).toContain('hold.delivery');
  });
});

describe('the office network (collector on loopback)', () => {
  it('another address of the sender’s /24 is self; with the account option, a person', async () => {
    // the agent's API calls come from 127.0.0.1: 127.0.0.0/24 is its office block
    const a = await register('office-1');
    expect(await hit(a.pixelUrl, OUTLOOK, '127.0.0.77')).toBe(200);
    const denied = await agent.putSettings({ sharesNetworkWithProspects: true });
    expect(denied.ok).toBe(false);
    const put = await admin.putSettings({ sharesNetworkWithProspects: true });
    expect(put.ok && put.value.sharesNetworkWithProspects).toBe(true);
    // the writer reads the option at most 5 s late
    await new Promise((r) => setTimeout(r, 5_500));
    const b = await register('office-2');
    expect(await hit(b.pixelUrl, OUTLOOK, '127.0.0.77')).toBe(200);
    const page = await agent.pullEvents(0, 1000);
    if (!page.ok) throw new Error('pull');
    const verdictOf = (id: string) => page.value.events.find((e) => e.messageId === id)?.client;
    const m1 = page.value.messages.find((m) => m.clientId === 'office-1')!.messageId;
    const m2 = page.value.messages.find((m) => m.clientId === 'office-2')!.messageId;
    expect(verdictOf(m1)).toMatchObject({ verdict: 'self', reasons: ['ip.sender_network'] });
    expect(verdictOf(m2)?.verdict).toBe('human');
    expect((await admin.putSettings({ sharesNetworkWithProspects: false })).ok).toBe(true);
  });
});
