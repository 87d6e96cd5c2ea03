import { EVENTS_PAGE_MAX, type EventsResponse } from '../../../src-shared/api';
import { ok, type Result } from '../../../src-shared/result';
import type { Cache } from '../cache';
import type { CollectorClient } from '../collector/client';
import type { CollectorError } from '../collector/errors';
import { applyPage, CURSOR_KEY, type PageResult } from './apply';
import { checkPage } from './page-check';
import type { PageReport } from './worker/protocol';

/** the largest page the collector serves: fewer round trips and transactions per event */
export const PULL_PAGE_SIZE = EVENTS_PAGE_MAX;

export interface PullOptions {
  cache: Cache;
  client: Pick<CollectorClient, 'pullEvents'>;
  pageSize?: number;
  /** checked between pages; a pull stops at a page boundary, never inside a transaction */
  stopped?(): boolean;
  /** after each page's transaction committed */
  onPage?(result: PageResult, page: EventsResponse): void;
  maxPages?: number;
}

export interface PullStats {
  pages: number;
  events: number;
  /** time spent waiting for the collector's answers (not hidden behind applying) */
  waitMs: number;
  /** time spent in the pages' transactions */
  applyMs: number;
}

/**
 * Pulls from the stored cursor until the collector has nothing newer, one transaction per page
 * (events and cursor together). The request for page n+1 is sent before page n is applied: the
 * collector answers from its own process while this one writes, and page n+1 starts after page
 * n's `next`, which is exactly where the cursor will stand once page n commits.
 */
export async function pullPages(o: PullOptions): Promise<Result<PullStats, CollectorError>> {
  const limit = o.pageSize ?? PULL_PAGE_SIZE;
  const stats: PullStats = { pages: 0, events: 0, waitMs: 0, applyMs: 0 };
  let cursor = o.cache.meta.get<number>(CURSOR_KEY) ?? 0;
  let pending = o.client.pullEvents(cursor, limit);
  for (let i = 0; i < (o.maxPages ?? 10_000); i++) {
    const w0 = performance.now();
    const res = await pending;
    stats.waitMs += performance.now() - w0;
    if (!res.ok) return res;
    const page = res.value;
    const empty = page.events.length === 0 && page.messages.length === 0;
    const last = empty || page.next <= cursor;
    const next = Math.max(cursor, page.next);
    if (!last && !(o.stopped?.() ?? false)) pending = o.client.pullEvents(next, limit);
    const a0 = performance.now();
    const r = applyPage(o.cache, page);
    stats.applyMs += performance.now() - a0;
    stats.pages++;
    stats.events += page.events.length;
    cursor = r.cursor;
    o.onPage?.(r, page);
    if (last || (o.stopped?.() ?? false)) break;
  }
  return ok(stats);
}

/**
 * One page from the stored cursor, applied on the calling thread (a small catch-up after an SSE
 * poke). `more`: the page was full, so the collector has more after it.
 */
export async function pullFirstPage(
  cache: Cache,
  client: Pick<CollectorClient, 'pullEventsChecked'>,
  limit: number,
): Promise<Result<{ more: boolean; report: PageReport | null }, CollectorError>> {
  const res = await client.pullEventsChecked(cache.meta.get<number>(CURSOR_KEY) ?? 0, limit, checkPage);
  if (!res.ok) return res;
  const page = res.value;
  const items = page.events.length + page.messages.length;
  if (items === 0) return ok({ more: false, report: null });
  const a0 = performance.now();
  const r = applyPage(cache, page);
  return ok({
    more: items >= limit,
    report: {
      events: page.events.length,
      cursor: r.cursor,
      lastSeq: page.lastSeq ?? null,
      newActivities: r.newActivities,
      touched: [],
      changes: r.changes,
      applyMs: performance.now() - a0,
    },
  });
}
