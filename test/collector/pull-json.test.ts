import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-collector/store/open';
import type { MessageRecord, NewHit, Store, Viewer } from '../../src-collector/store/types';
import { eventOfWireRow, wireRowOfEvent } from '../../src-shared/event-rows';
import type { EventType } from '../../src-shared/events';

const dir = mkdtempSync(join(tmpdir(), 'blitz-pull-json-'));
const stores: Store[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The SQLite store builds each pulled event's JSON in SQL (pullEventsJson); the route sends it
 * as it is. Whatever a row holds, that JSON must be exactly the event pullEvents maps in JS.
 */
describe('SQLite pullEventsJson', () => {
  it('gives, page by page and for admin and agent, exactly what pullEvents gives (events and rows)', async () => {
    const opened = await openStore({ file: join(dir, 'c.db') });
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    const store = opened.value;
    stores.push(store);
    const account = await store.createAccount({ name: 'Json GmbH' });
    const users = await Promise.all(
      (['admin', 'agent'] as const).map((role, i) =>
        store.createUser({
          accountId: account.id,
          email: `${role}@json.example`,
          name: role,
          role,
          tokenHash: `hash-${i}`,
        }),
      ),
    );
    const messages: MessageRecord[] = [];
    for (const [i, u] of users.entries()) {
      const { message } = await store.registerMessage({
        accountId: account.id,
        userId: u.id,
        clientId: `c${i}`,
        subject: `Betreff „${i}“ \\ "quoted"`,
        sentIndividually: i === 0,
        recipients: [{ email: `r${i}@kunde.example`, name: 'Jürgen Ä' }],
        links: ['https://example.org/a?b=1&c="x"'],
        trackers: [{ token: randomUUID().replace(/-/g, ''), recipientEmail: null, recipientName: null }],
        createdAt: new Date(Date.UTC(2026, 0, 1, i)).toISOString(),
      });
      messages.push(message);
    }
    const types: EventType[] = [
      'email.opened',
      'email.link_clicked',
      'landing.visited',
      'landing.unit_liked',
    ];
    const hits: NewHit[] = Array.from({ length: 40 }, (_, i) => {
      const m = messages[i % 2]!;
      return {
        id: `evt-${String(i).padStart(3, '0')}`,
        accountId: account.id,
        messageId: m.id,
        // landing events name their offer (events.offer_id)
        offerId: types[i % types.length]!.startsWith('landing.') ? `offer-${i % 2}` : null,
        token: m.trackers[0]!.token,
        type: types[i % types.length]!,
        recipientEmail: i % 3 === 0 ? null : `kunde+${i}@example.org`,
        occurredAt: new Date(Date.UTC(2026, 0, 2, 0, i)).toISOString(),
        detail:
          i % 4 === 1
            ? { url: `https://example.org/x?q="${i}"&ü=1`, linkIndex: 0 }
            : i % 4 === 3
              ? { unit: 'WE 3 – Dachgeschoss' }
              : {},
        classification: {
          verdict: i % 5 === 0 ? 'prefetch' : 'human',
          reasons: i % 5 === 0 ? ['ip.apple_mpp', 'timing.burst'] : [],
          ipOwner: i % 5 === 0 ? 'apple' : null,
        },
        uaFamily: i % 2 === 0 ? 'Chrome' : i % 3 === 0 ? '' : null,
        os: i % 7 === 0 ? null : 'Windows',
        signals: {
          kind: 'open',
          method: 'GET',
          at: new Date().toISOString(),
          ipPrefix: i % 2 === 0 ? '203.0.113.0/24' : '2001:db8::/48',
          userAgent: 'x',
          headers: {},
          senderPrefixes: [],
        },
      };
    });
    await store.recordHits(hits.slice(0, 20));
    await store.recordHits(hits.slice(20), [
      { eventId: 'evt-001', verdict: 'scanner', reasons: ['ua.scanner'] },
    ]);
    const admin: Viewer = { id: users[0]!.id, accountId: account.id, role: 'admin' };
    const agent: Viewer = { id: users[1]!.id, accountId: account.id, role: 'agent' };
    // an agent's correction: the event carries correctedFrom
    expect(await store.updateVerdict(admin, 'evt-004', 'human')).not.toBeNull();

    let compared = 0;
    for (const viewer of [admin, agent]) {
      for (const limit of [1, 7, 1000]) {
        let after = 0;
        for (;;) {
          const objects = await store.pullEvents(viewer, after, limit);
          const json = await store.pullEventsJson(viewer, after, limit);
          expect(JSON.parse(`[${json.events.toString('utf8')}]`)).toEqual(objects.events);
          // the rows shape: the same events, each as its row, and back
          const rows = await store.pullEventsJson(viewer, after, limit, 'rows');
          const parsedRows = JSON.parse(`[${rows.events.toString('utf8')}]`) as unknown[];
          expect(parsedRows).toEqual(objects.events.map(wireRowOfEvent));
          expect(parsedRows.map(eventOfWireRow)).toEqual(objects.events);
          expect(rows.eventCount).toBe(objects.events.length);
          expect(rows.next).toBe(objects.next);
          expect(json.eventCount).toBe(objects.events.length);
          expect(json.messages).toEqual(objects.messages);
          expect(json.next).toBe(objects.next);
          // landing events carry their offer, the others none
          for (const e of objects.events)
            expect(e.offerId).toBe(
              e.type.startsWith('landing.') ? `offer-${e.messageId === messages[0]!.id ? 0 : 1}` : undefined,
            );
          compared += objects.events.length;
          if (objects.events.length + objects.messages.length === 0) break;
          after = objects.next;
        }
      }
    }
    // every event at three page sizes as admin, the agent's half at three page sizes
    expect(compared).toBe(40 * 3 + 20 * 3);
  });
});
