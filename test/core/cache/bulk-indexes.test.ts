import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../src-main/core/cache';
import { DEFERRED_INDEXES } from '../../../src-main/core/cache/bulk-indexes';
import { tempDir } from '../helpers';

/**
 * The indexes a first sync builds after its bulk load (src-main/core/cache/bulk-indexes.ts): what
 * restore() builds is exactly what the migrations created, and lookups use it again.
 */
const dir = tempDir('blitz-bulk-indexes-');
const caches: ReturnType<typeof openCache>[] = [];
afterAll(() => {
  for (const c of caches) c.close();
});

const sqlOf = (cache: ReturnType<typeof openCache>, name: string): string | undefined =>
  cache.db
    .prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
    .get(name)?.sql;

describe('deferred indexes of a first sync', () => {
  it('are the migrations’ own definitions, dropped by defer() and built again by restore()', () => {
    const cache = openCache(join(dir, 'a.sqlite'));
    caches.push(cache);
    expect(DEFERRED_INDEXES.map((i) => i.name)).toEqual(['events_by_recipient']);
    const created = DEFERRED_INDEXES.map((i) => sqlOf(cache, i.name));
    // word for word what the migration created (a drift would change the schema after a first sync)
    expect(created).toEqual(DEFERRED_INDEXES.map((i) => i.sql));
    expect(cache.bulkIndexes.missing()).toEqual([]);
    expect(cache.bulkIndexes.restore()).toEqual([]);

    cache.bulkIndexes.defer();
    expect(cache.bulkIndexes.missing()).toEqual(['events_by_recipient']);
    expect(sqlOf(cache, 'events_by_recipient')).toBeUndefined();
    // dropping twice (a first sync resumed after a kill) is harmless
    cache.bulkIndexes.defer();

    cache.db
      .prepare(
        `INSERT INTO events (id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, body)
         VALUES ('e-1', 1, 'm-1', 'email.opened', 'Anna@Kunde.example', '2026-01-01T00:00:00.000Z', 'human', '{}')`,
      )
      .run();
    expect(cache.bulkIndexes.restore()).toEqual(['events_by_recipient']);
    expect(DEFERRED_INDEXES.map((i) => sqlOf(cache, i.name))).toEqual(created);
    expect(cache.bulkIndexes.restore()).toEqual([]);
    const plan = cache.db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT id FROM events WHERE recipient_email = 'anna@kunde.example' COLLATE NOCASE",
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('events_by_recipient');
    const found = cache.db
      .prepare("SELECT id FROM events WHERE recipient_email = 'anna@kunde.example' COLLATE NOCASE")
      .all();
    expect(found).toEqual([{ id: 'e-1' }]);
  });
});
