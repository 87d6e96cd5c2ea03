import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache, type NewActivity } from '../../../../src-main/core/cache';
import { createEventsRepo } from '../../../../src-main/core/cache/events';
import { migrate, schemaVersion } from '../../../../src-main/core/cache/migrations';
import { DENSE_SEARCH } from '../../../../src-main/core/cache/activities';
import type { TrackingEvent, Verdict } from '../../../../src-shared/events';

const activity = (i: number, subject: string, name: string | null = `Kundin ${i}`): NewActivity => ({
  id: `act-${i}`,
  kind: 'email',
  subject,
  html: null,
  text: null,
  trackRequested: true,
  tracked: true,
  sentIndividually: true,
  messageId: `<act-${i}@test>`,
  createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  sentAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  fromOtherDevice: false,
  recipients: [{ kind: 'to', email: `kunde${i}@beispiel.de`, name }],
  attachments: [],
});

let seq = 0;
const event = (id: string, message: string, verdict: Verdict, minute: number, s = ++seq): TrackingEvent => ({
  id,
  seq: s,
  type: 'email.opened',
  messageId: message,
  recipientEmail: null,
  occurredAt: new Date(Date.UTC(2026, 1, 1) + minute * 60_000).toISOString(),
  detail: {},
  client: { verdict, reasons: [] },
});

describe('migration 009_activity_list_speed', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('backfills the counters and the search of a version-8 cache from what it holds', () => {
    const db = new Database(':memory:');
    migrate(db, 8);
    db.exec(`
      INSERT INTO activities (id, kind, subject, track_requested, tracked, sent_individually, message_id,
        created_at, sent_at, seen_local_id)
      VALUES ('a1', 'email', 'Exposé Lindenstraße', 1, 1, 1, '<a1>', '2026-01-01', '2026-01-01', 2),
             ('a2', 'email', 'Mietvertrag', 1, 1, 1, '<a2>', '2026-01-02', NULL, 0);
      INSERT INTO activity_recipients VALUES ('a1', 0, 'to', 'anna@kunde.example', 'Anna Müller');
      INSERT INTO activity_messages VALUES ('m1', 'a1', 'c1');
    `);
    const insert =
      db.prepare(`INSERT INTO events (id, seq, collector_message_id, type, occurred_at, verdict, body)
      VALUES (?, ?, 'm1', 'email.opened', ?, ?, '{}')`);
    (['human', 'prefetch', 'proxy', 'human'] as const).forEach((v, i) =>
      insert.run(`e${i + 1}`, i + 1, `2026-02-01T00:0${i + 1}:00.000Z`, v),
    );
    expect(migrate(db, 9)).toBe(9);
    expect(schemaVersion(db)).toBe(9);
    const rows = db
      .prepare('SELECT id, event_count, new_event_count, last_event_at FROM activities ORDER BY id')
      .all();
    // three count (human, proxy); the prefetch does not; seen up to local_id 2: e3 and e4 are new
    expect(rows).toEqual([
      { id: 'a1', event_count: 3, new_event_count: 2, last_event_at: '2026-02-01T00:04:00.000Z' },
      { id: 'a2', event_count: 0, new_event_count: 0, last_event_at: null },
    ]);
    // the search of the rows already there: subject and recipient, folded
    const find = (q: string) =>
      db
        .prepare(
          `SELECT a.id FROM activity_search s JOIN activities a ON a.search_id = s.rowid
           WHERE activity_search MATCH ? ORDER BY a.id`,
        )
        .pluck()
        .all(q);
    expect(find('"expose"')).toEqual(['a1']);
    expect(find('"anna müller"')).toEqual(['a1']);
    expect(find('"miet"')).toEqual(['a2']);
    // new events after the migration are counted by the repo (whose rows need the newest schema)
    migrate(db);
    createEventsRepo(db).apply(event('e9', 'm1', 'human', 9));
    expect(db.prepare("SELECT event_count, new_event_count FROM activities WHERE id = 'a1'").get()).toEqual({
      event_count: 4,
      new_event_count: 3,
    });
    db.close();
  });

  it('keeps the counters with every kind of event change and finds by subject, name and address', () => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-009-'));
    const cache = openCache(join(dir, 'cache.sqlite'));
    cache.activities.insert(activity(1, 'Exposé Lindenstraße 5', 'Anna Müller'));
    cache.activities.insert(activity(2, 'Mietvertrag Hauptstraße'));
    cache.activities.linkCollectorMessage('act-1', 'm1', 'c1');
    const dto = (id: string) => cache.activities.dto(id)!;

    cache.events.applyMany([event('e1', 'm1', 'human', 1), event('e2', 'm1', 'prefetch', 2)]);
    expect(dto('act-1')).toMatchObject({ eventCount: 1, newEventCount: 1 });
    expect(dto('act-1').lastEventAt).toBe('2026-02-01T00:01:00.000Z');
    cache.activities.markSeen('act-1');
    expect(dto('act-1')).toMatchObject({ eventCount: 1, newEventCount: 0 });
    // a corrected verdict (same id, higher seq): the prefetch is now the person, seen already
    cache.events.apply(event('e2', 'm1', 'human', 2));
    expect(dto('act-1')).toMatchObject({ eventCount: 2, newEventCount: 0 });
    expect(dto('act-1').lastEventAt).toBe('2026-02-01T00:02:00.000Z');
    // and back: it stops counting
    cache.events.apply(event('e2', 'm1', 'scanner', 2));
    expect(dto('act-1')).toMatchObject({ eventCount: 1, newEventCount: 0 });
    // a new event is new
    cache.events.apply(event('e3', 'm1', 'proxy', 9));
    expect(dto('act-1')).toMatchObject({ eventCount: 2, newEventCount: 1 });
    // events that arrive before their message is linked count from the link on
    cache.events.applyMany([event('e4', 'm2', 'human', 5), event('e5', 'm2', 'human', 6)]);
    expect(dto('act-2')).toMatchObject({ eventCount: 0 });
    cache.activities.linkCollectorMessage('act-2', 'm2', 'c2');
    expect(dto('act-2')).toMatchObject({ eventCount: 2, newEventCount: 2 });
    // the same page again changes nothing
    cache.events.applyMany([event('e4', 'm2', 'human', 5, 1), event('e5', 'm2', 'human', 6, 2)]);
    expect(dto('act-2')).toMatchObject({ eventCount: 2, newEventCount: 2 });
    // the counters agree with a count from scratch
    for (const id of ['act-1', 'act-2']) {
      const before = dto(id);
      cache.activities.recount(id);
      expect(dto(id)).toEqual(before);
    }
    expect(cache.activities.window('', 'unseen', 0, 10).items.map((a) => a.id)).toEqual(['act-2', 'act-1']);
    expect(cache.activities.window('', 'all', 0, 10).unseen).toBe(2);

    const find = (q: string) => cache.activities.window(q, 'all', 0, 10).items.map((a) => a.id);
    expect(find('expose')).toEqual(['act-1']); // without the accent
    expect(find('MÜLLER')).toEqual(['act-1']);
    expect(find('mueller')).toEqual([]);
    expect(find('straße')).toEqual(['act-2', 'act-1']);
    expect(find('kunde2@')).toEqual(['act-2']);
    expect(find('5')).toEqual(['act-1']); // shorter than a trigram
    expect(find('anna lind')).toEqual(['act-1']); // every word, any order
    expect(find('lind 5 anna')).toEqual(['act-1']);
    expect(find('miet 5')).toEqual([]);
    expect(find('"')).toEqual([]);
    // a second registration's recipients are searchable too
    cache.activities.addRecipients('act-2', [{ kind: 'bcc', email: 'zweit@makler.example', name: 'Zora' }]);
    expect(find('zora')).toEqual(['act-2']);
    // a deleted activity leaves the search
    cache.activities.delete('act-1');
    expect(find('expose')).toEqual([]);
    cache.close();
  });

  it('windows of a long list neither repeat nor skip, on both search paths, with the right totals', () => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-009-'));
    const cache = openCache(join(dir, 'cache.sqlite'));
    const n = DENSE_SEARCH + 500;
    cache.tx(() => {
      // every activity has "wohnung"; every fifth "garten"; equal times in pairs (ties)
      for (let i = 0; i < n; i++) {
        const a = activity(i, `Wohnung ${i}${i % 5 === 0 ? ' mit Garten' : ''}`);
        cache.activities.insert({ ...a, sentAt: activity(Math.floor(i / 2), '').sentAt });
      }
    });
    const all = (q: string): string[] => {
      const ids: string[] = [];
      for (let offset = 0; ; offset += 100) {
        const w = cache.activities.window(q, 'all', offset, 100);
        ids.push(...w.items.map((a) => a.id));
        if (w.items.length < 100) {
          expect(w.total).toBe(ids.length);
          return ids;
        }
        expect(w.total).toBeGreaterThan(offset);
      }
    };
    const dense = all('wohnung'); // walks the time index
    expect(dense).toHaveLength(n);
    expect(new Set(dense).size).toBe(n);
    const sparse = all('garten'); // through the trigram index
    expect(sparse).toHaveLength(n / 5);
    // both in the same order as the whole list
    const everything = all('');
    expect(dense).toEqual(everything);
    expect(sparse).toEqual(everything.filter((id) => Number(id.slice(4)) % 5 === 0));
    expect(cache.activities.window('garten', 'all', 0, 10).total).toBe(n / 5);
    expect(cache.activities.window('wohnung', 'all', 0, 10).total).toBe(n);
    cache.close();
  });
});
