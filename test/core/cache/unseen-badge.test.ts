import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../src-main/core/cache';
import { testActivity } from '../../support/activity';

/**
 * The navigation's badge (activities with unseen events) during a search: a keystroke's window
 * leaves it out (it does not change by typing), a reload after a change of data asks for it.
 */
describe('the unseen count beside a searched window', () => {
  let dir: string;
  let cache: Cache;
  afterEach(() => {
    cache?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is left out per keystroke and counted when asked for, whatever the search finds', () => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-unseen-'));
    cache = openCache(join(dir, 'cache.sqlite'));
    for (const [i, subject] of ['Exposé Lindenstraße', 'Mietvertrag Hauptstraße'].entries()) {
      cache.activities.insert(testActivity(i, { subject }));
      cache.activities.linkCollectorMessage(`act-${i}`, `m${i}`, `c${i}`);
    }
    cache.events.apply({
      id: 'e1',
      seq: 1,
      type: 'email.opened',
      messageId: 'm1',
      recipientEmail: null,
      occurredAt: '2026-02-01T00:00:00.000Z',
      detail: {},
      client: { verdict: 'human', reasons: [] },
    });
    // the search finds only the activity without news: the badge still counts the other one
    expect(cache.activities.window('linden', 'all', 0, 10, true)).toMatchObject({ total: 1, unseen: 1 });
    expect(cache.activities.window('linden', 'all', 0, 10).unseen).toBeNull();
    expect(cache.activities.window('', 'all', 0, 10).unseen).toBe(1);
    cache.activities.markSeen('act-1');
    expect(cache.activities.window('linden', 'all', 0, 10, true).unseen).toBe(0);
  });
});
