import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../src-main/core/cache';
import { testActivity } from '../../support/activity';
import { COUNT_SLICE, DENSE_SEARCH, type ActivityFilter } from '../../../src-main/core/cache/activities';

/**
 * A keystroke's window with `countLater` (issue 12, speed): the rows at once, a total that needs a
 * scan of the folded text (1–2 letters, a word in most subjects) left null for `count`, which
 * scans in slices and lets the event loop run between them. Whatever the path, the rows and the
 * total are the ones the window without `countLater` answers.
 */
describe('the list total counted after the rows', () => {
  let dir: string;
  let cache: Cache;
  // more than one slice of search ids; every activity has „wohnung“, every 10th „garten“ (sparse)
  const n = COUNT_SLICE + DENSE_SEARCH + 300;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-count-later-'));
    cache = openCache(join(dir, 'cache.sqlite'));
    cache.tx(() => {
      for (let i = 0; i < n; i++) {
        cache.activities.insert(
          testActivity(i, {
            subject: `Wohnung ${i}${i % 10 === 0 ? ' mit Garten' : ''}`,
            trackRequested: i % 3 !== 0,
            tracked: i % 3 !== 0,
          }),
        );
      }
    });
  });
  afterAll(() => {
    cache?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, ActivityFilter][] = [
    ['w', 'all'],
    ['wo', 'all'],
    ['wohnung', 'all'],
    ['wohnung 7', 'all'],
    ['garten', 'all'],
    ['garten 5', 'all'],
    ['7', 'tracked'],
    ['wohnung', 'tracked'],
    ['', 'all'],
    ['', 'tracked'],
    ['zzz', 'all'],
  ];

  it.each(cases)('„%s“ (%s): the same rows, and the same total now or from count', async (q, f) => {
    const exact = cache.activities.window(q, f, 0, 100);
    const later = cache.activities.window(q, f, 0, 100, false, true);
    expect(later.items.map((a) => a.id)).toEqual(exact.items.map((a) => a.id));
    expect(exact.total).not.toBeNull();
    if (later.total !== null) expect(later.total).toBe(exact.total);
    expect(await cache.activities.count(q, f)).toBe(exact.total);
  });

  it('leaves the scans for later and counts cheap totals at once', () => {
    const later = (q: string, f: ActivityFilter = 'all') =>
      cache.activities.window(q, f, 0, 100, false, true);
    // 1–2 letters and a word in every subject would scan all rows: null
    expect(later('w').total).toBeNull();
    expect(later('wo').total).toBeNull();
    expect(later('wohnung').total).toBeNull();
    // a rare word through the trigram index, a filter without search, a short result: at once
    expect(later('garten').total).toBe(Math.ceil(n / 10));
    expect(later('', 'tracked').total).toBe(cache.activities.window('', 'tracked', 0, 100).total);
    expect(later('zzz').total).toBe(0);
    expect(later('kundin 4711').total).toBe(1);
  });

  it('lets the event loop run between the slices of a scan', async () => {
    let ranBetween = false;
    // queued before the count starts: runs before the count's second slice, and only if it yields
    setImmediate(() => (ranBetween = true));
    const counting = cache.activities.count('w', 'all');
    expect(await counting).toBe(n);
    expect(ranBetween).toBe(true);
  });
});
