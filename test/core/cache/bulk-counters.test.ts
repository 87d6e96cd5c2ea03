import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../src-main/core/cache';
import { applyBulkPage } from '../../../src-main/core/sync/apply';
import { checkBulkPage } from '../../../src-main/core/sync/page-check';

/**
 * A first sync's pages grow the activity list's counters by the rows each page inserted
 * (cache/events.ts, bulkUpsert) instead of recounting the activity's whole history per page.
 * Whatever the pages did, the counters must equal a recount from the events.
 */
const dir = mkdtempSync(join(tmpdir(), 'blitz-bulk-counters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const message = {
  messageId: 'm-1',
  clientId: 'act-1',
  subject: 'Exposé',
  sentIndividually: true,
  recipients: [{ email: 'a@kunde.example' }],
  createdAt: '2026-01-01T00:00:00.000Z',
  userId: 'u-1',
  seq: 1,
};
const ev = (id: string, seq: number, verdict: string, at: string, messageId = 'm-1') => ({
  id,
  seq,
  type: 'email.opened',
  messageId,
  recipientEmail: 'a@kunde.example',
  occurredAt: at,
  detail: {},
  client: { verdict, reasons: [] },
});
const apply = (cache: Cache, events: unknown[], next: number, messages: unknown[] = []) => {
  const checked = checkBulkPage(JSON.stringify({ events, messages, next, lastSeq: 100 }));
  if (!checked.ok) throw new Error(checked.error);
  return applyBulkPage(cache, checked.value);
};
type Counters = { event_count: number; new_event_count: number; last_event_at: string | null };
const counters = (cache: Cache): Counters =>
  cache.db
    .prepare<[], Counters>(
      "SELECT event_count, new_event_count, last_event_at FROM activities WHERE id = 'act-1'",
    )
    .get()!;
/** the counters as RECOUNT_SQL makes them from the events */
const recounted = (cache: Cache): Counters => {
  const before = counters(cache);
  cache.activities.recount('act-1');
  const after = counters(cache);
  cache.db
    .prepare('UPDATE activities SET event_count = ?, new_event_count = ?, last_event_at = ? WHERE id = ?')
    .run(before.event_count, before.new_event_count, before.last_event_at, 'act-1');
  return after;
};

it('counts what each bulk page inserted, and recounts a page that replaced stored events', () => {
  const cache = openCache(join(dir, 'cache.sqlite'));
  apply(
    cache,
    [
      ev('e-1', 2, 'human', '2026-01-01T00:00:02.000Z'),
      ev('e-2', 3, 'scanner', '2026-01-01T00:00:09.000Z'),
      ev('e-3', 4, 'proxy', '2026-01-01T00:00:04.000Z'),
      // a message this cache has no activity for: counted when (if) it is linked
      ev('e-x', 5, 'human', '2026-01-01T00:00:05.000Z', 'm-other'),
    ],
    5,
    [message],
  );
  expect(counters(cache)).toEqual({
    event_count: 2,
    new_event_count: 2,
    last_event_at: '2026-01-01T00:00:04.000Z',
  });
  expect(counters(cache)).toEqual(recounted(cache));

  // the user opened the activity: what came before is seen, what the next page brings is new
  cache.activities.markSeen('act-1');
  apply(
    cache,
    [ev('e-4', 6, 'human', '2026-01-01T00:00:03.000Z'), ev('e-5', 7, 'human', '2026-01-01T00:00:06.000Z')],
    7,
  );
  expect(counters(cache)).toEqual({
    event_count: 4,
    new_event_count: 2,
    last_event_at: '2026-01-01T00:00:06.000Z',
  });
  expect(counters(cache)).toEqual(recounted(cache));

  // a newer version of e-5 (now a scanner) beside a new event: the page replaced a stored row
  apply(
    cache,
    [ev('e-6', 8, 'human', '2026-01-01T00:00:01.000Z'), ev('e-5', 9, 'scanner', '2026-01-01T00:00:06.000Z')],
    9,
  );
  expect(counters(cache)).toEqual({
    event_count: 4,
    new_event_count: 2,
    last_event_at: '2026-01-01T00:00:04.000Z',
  });
  expect(counters(cache)).toEqual(recounted(cache));

  // the same page again changes nothing
  apply(
    cache,
    [ev('e-6', 8, 'human', '2026-01-01T00:00:01.000Z'), ev('e-5', 9, 'scanner', '2026-01-01T00:00:06.000Z')],
    9,
  );
  expect(counters(cache)).toEqual(recounted(cache));
  expect(cache.events.count()).toBe(7);
  cache.close();
});
