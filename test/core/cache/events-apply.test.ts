import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventsRepo } from '../../../src-main/core/cache/events';
import { migrate } from '../../../src-main/core/cache/migrations';
import type { TrackingEvent } from '../../../src-shared/events';

const ev = (n: number, seq: number, verdict: 'human' | 'scanner' = 'human'): TrackingEvent => ({
  id: `evt-${n}`,
  seq,
  type: 'email.opened',
  messageId: `msg-${n % 7}`,
  recipientEmail: n % 2 === 0 ? null : `k${n}@example.org`,
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  detail: {},
  client: { verdict, reasons: verdict === 'scanner' ? ['ua.scanner'] : [] },
});

/** New ids go in 100 rows per statement; updates, repeats and leftovers must still come out right. */
describe('events.applyMany', () => {
  let db: Database.Database;
  afterEach(() => db?.close());

  it('inserts a page of 250 in chunks, updates an id the same page inserted moments before, and replays as unchanged', () => {
    db = new Database(':memory:');
    migrate(db);
    const repo = createEventsRepo(db);
    const page = Array.from({ length: 250 }, (_, n) => ev(n, n + 1));
    // evt-120 is still waiting for its chunk when its newer version arrives in the same page
    page.splice(130, 0, { ...ev(120, 131, 'scanner') });
    for (let i = 131; i < page.length; i++) page[i] = { ...page[i]!, seq: i + 1 };
    const outcomes = repo.applyMany(page);
    expect(outcomes.filter((o) => o === 'inserted')).toHaveLength(250);
    expect(outcomes[130]).toBe('updated');
    expect(repo.count()).toBe(250);
    expect(repo.get('evt-120')?.event.client.verdict).toBe('scanner');
    expect(repo.get('evt-249')?.event).toEqual(page[page.length - 1]);
    expect(repo.get('evt-0')?.event).toEqual(page[0]);
    // the same page again: nothing changes
    expect(new Set(repo.applyMany(page))).toEqual(new Set(['unchanged']));
    // an older version never replaces a newer one
    expect(repo.applyMany([ev(120, 5)])).toEqual(['unchanged']);
    expect(repo.get('evt-120')?.event.seq).toBe(131);
  });
});
