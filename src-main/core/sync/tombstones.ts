import { ok, type Result } from '../../../src-shared/result';
import type { Cache } from '../cache';
import type { CollectorClient } from '../collector/client';
import type { CollectorError } from '../collector/errors';

/** where this cache stands in the collector's tombstones (GET /api/v1/events/deleted) */
export const DELETED_CURSOR_KEY = 'sync.deletedCursor';
const PAGE = 1000;

/**
 * Issue 17 part 2: drops from the cache the events the collector deleted (retention, an
 * erasure), each page in one transaction with its cursor. Runs after each pull; an event
 * deleted on the collector is never served again, so a later pull cannot bring it back.
 */
export async function dropDeletedEvents(
  cache: Cache,
  client: Pick<CollectorClient, 'deletedEvents'>,
): Promise<Result<{ dropped: number; activities: string[] }, CollectorError>> {
  let dropped = 0;
  const activities = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const after = cache.meta.get<number>(DELETED_CURSOR_KEY) ?? 0;
    const res = await client.deletedEvents(after, PAGE);
    if (!res.ok) return res;
    const { deleted, erased, next } = res.value;
    if (next <= after && deleted.length === 0) break;
    cache.tx(() => {
      const r = cache.erased.dropEvents(deleted, erased);
      dropped += r.dropped;
      for (const a of r.activities) activities.add(a);
      cache.meta.set(DELETED_CURSOR_KEY, Math.max(after, next));
    });
    if (deleted.length < PAGE) break;
  }
  return ok({ dropped, activities: [...activities] });
}
