import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../../src-main/core/cache';
import { createCollectorClient } from '../../src-main/core/collector/client';
import { pullPages } from '../../src-main/core/sync/pull';
import { DELETED_CURSOR_KEY, dropDeletedEvents } from '../../src-main/core/sync/tombstones';
import { startTestCollector, type TestCollector } from '../support/collector';
import { hit, removeDir, tempDir } from './helpers';

/**
 * Issue 17 part 2 on the desktop: what the collector deleted (an erasure, retention) leaves the
 * cache on the next sync, through the tombstones; an admin's erasure on this computer at once.
 * Real collector on loopback, real cache file.
 */
let col: TestCollector;
let dir: string;
let messageId: string;

beforeAll(async () => {
  dir = tempDir('blitz-tombstones-');
  col = await startTestCollector({ db: join(dir, 'collector.db'), trustProxy: true });
  const agent = createCollectorClient({ baseUrl: col.url, token: col.agentToken });
  const r = await agent.registerMessage({
    clientId: 'tomb-1',
    subject: 'Exposé Gartenweg 3',
    sentIndividually: true,
    recipients: [
      { email: 'Anna@Kunde.example', name: 'Anna Beispiel' },
      { email: 'bert@kunde.example', name: 'Bert Muster' },
    ],
    links: [],
  });
  if (!r.ok) throw new Error(r.error.detail);
  messageId = r.value.messageId;
  for (let i = 0; i < 5; i++) expect(await hit(r.value.trackers[i < 3 ? 0 : 1]!.pixelUrl)).toBe(200);
});

afterAll(async () => {
  await col?.close();
  removeDir(dir);
});

describe('tombstones on the desktop', () => {
  it('drops the events an erasure deleted on the next sync, recounts the activity, and moves its cursor', async () => {
    const agent = createCollectorClient({ baseUrl: col.url, token: col.agentToken });
    const admin = createCollectorClient({ baseUrl: col.url, token: col.adminToken });
    const cache = openCache(join(dir, 'cache-1.sqlite'));
    try {
      const pulled = await pullPages({ cache, client: agent });
      expect(pulled.ok && pulled.value.events).toBe(5);
      const activityId = cache.activities.activityIdForMessage(messageId);
      expect(activityId).not.toBeNull();
      const before = cache.activities.dto(activityId!)!;
      expect(before.eventCount).toBe(5);

      // nothing deleted yet: no change, the cursor stays at 0
      const none = await dropDeletedEvents(cache, agent);
      expect(none.ok && none.value).toEqual({ dropped: 0, activities: [] });

      // this desktop knows both prospects as contacts (autocomplete) and anna's tracking mode
      cache.contacts.remember(
        [
          { email: 'Anna@Kunde.example', name: 'Anna Muster' },
          { email: 'bert@kunde.example', name: 'Bert Muster' },
        ],
        '2026-01-01T00:00:00.000Z',
      );
      cache.db
        .prepare(
          "INSERT INTO contact_consent (email, mode, state, updated_at, version) VALUES ('anna@kunde.example', 'always', 'none', 'x', 1)",
        )
        .run();
      const erased = await admin.eraseSubject('anna@kunde.example', 'Antrag vom 2.12.');
      expect(erased.ok && erased.value.erased.events).toBe(3);
      const r = await dropDeletedEvents(cache, agent);
      expect(r.ok && r.value).toEqual({ dropped: 3, activities: [activityId] });
      expect(cache.events.count()).toBe(2);
      expect(cache.activities.dto(activityId!)!.eventCount).toBe(2);
      expect(cache.meta.get<number>(DELETED_CURSOR_KEY)).toBeGreaterThan(0);
      const rows = cache.db.prepare('SELECT recipient_email FROM events').pluck().all();
      expect(rows).toEqual(['bert@kunde.example', 'bert@kunde.example']);
      // an erasure's tombstones make this desktop forget the address too, though it never saw it named
      expect(cache.db.prepare('SELECT lower(email) FROM contacts ORDER BY 1').pluck().all()).toEqual([
        'bert@kunde.example',
      ]);
      expect(cache.db.prepare('SELECT count(*) FROM contact_consent').pluck().get()).toBe(0);

      // a later pull does not bring them back, and the tombstones are not applied twice
      const again = await pullPages({ cache, client: agent });
      expect(again.ok).toBe(true);
      expect(cache.events.count()).toBe(2);
      const twice = await dropDeletedEvents(cache, agent);
      expect(twice.ok && twice.value.dropped).toBe(0);
    } finally {
      cache.db.close();
    }
  });

  it('a cache that pulls for the first time after the erasure never sees the erased events', async () => {
    const agent = createCollectorClient({ baseUrl: col.url, token: col.agentToken });
    const cache = openCache(join(dir, 'cache-2.sqlite'));
    try {
      await pullPages({ cache, client: agent });
      const r = await dropDeletedEvents(cache, agent);
      expect(r.ok && r.value.dropped).toBe(0);
      expect(cache.events.count()).toBe(2);
    } finally {
      cache.db.close();
    }
  });

  it("an admin's erasure on this computer removes the address's events, signals and contact at once, any letter case", () => {
    const cache = openCache(join(dir, 'cache-3.sqlite'));
    try {
      cache.contacts.remember(
        [{ email: 'Bert@Kunde.example', name: 'Bert Muster' }],
        '2026-01-01T00:00:00.000Z',
      );
      expect(cache.db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(1);
      cache.db
        .prepare(
          `INSERT INTO events (id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, body)
           VALUES ('e1', 1, 'm1', 'email.opened', 'bert@kunde.example', '2026-01-01', 'human', jsonb('{}')),
                  ('e2', 2, 'm1', 'email.opened', 'other@kunde.example', '2026-01-01', 'human', jsonb('{}'))`,
        )
        .run();
      const r = cache.erased.eraseAddress('BERT@KUNDE.EXAMPLE');
      expect(r.events).toBe(1);
      expect(cache.db.prepare('SELECT id FROM events').pluck().all()).toEqual(['e2']);
      expect(
        cache.db.prepare("SELECT count(*) FROM contacts WHERE email = 'bert@kunde.example'").pluck().get(),
      ).toBe(0);
    } finally {
      cache.db.close();
    }
  });
});
