import type { MessagePort } from 'node:worker_threads';
import type { PeerPort } from './local-port';
import { openSyncCache } from '../../cache/sync-cache';
import { applyBulkPage, applyPage } from '../apply';
import type { FetchedItem, FromWriter, PageReport, ToFetcher, ToWriter, WriterAck } from './protocol';

/**
 * The writing thread: its own connection to the cache file (WAL: the UI's connection keeps
 * reading while this one writes), one transaction per page with the cursor, a report per page.
 * A run told to stop applies nothing more once its current page committed.
 */
export function runWriter(
  cacheFile: string,
  writeGate: SharedArrayBuffer | undefined,
  parent: MessagePort,
  fetcher: PeerPort,
): void {
  const cache = openSyncCache(cacheFile, writeGate);
  const stopped = new Set<number>();
  const failed = new Set<number>();
  const bulkRuns = new Set<number>();
  const tell = (m: FromWriter): void => parent.postMessage(m);

  // with both roles on one thread the fetcher's messages (ToFetcher) come here too
  parent.on('message', (m: ToWriter | ToFetcher) => {
    if (m.t === 'stop') stopped.add(m.run);
    // messages are handled one at a time: whatever came before (a checkpoint after a run) is done
    else if (m.t === 'idle') tell({ t: 'idle', id: m.id });
  });
  fetcher.on('message', (item: FetchedItem) => {
    if (item.t === 'end') {
      stopped.delete(item.run);
      // a failed run was reported done when it failed
      if (!failed.delete(item.run)) tell({ t: 'done', run: item.run, error: item.error, failure: null });
      // a first sync leaves up to BULK_AUTOCHECKPOINT_PAGES in the WAL; copied now, while nothing
      // waits, instead of by the commit of the next small pull
      if (bulkRuns.delete(item.run)) {
        cache.checkpoint();
        cache.bulkWal(false);
      }
      return;
    }
    if (stopped.has(item.run)) return;
    let report: PageReport;
    try {
      const a0 = performance.now();
      if (item.t === 'bulk') {
        if (!bulkRuns.has(item.run)) {
          bulkRuns.add(item.run);
          cache.bulkWal(true);
        }
        const r = applyBulkPage(cache, item.page);
        report = {
          events: item.page.events,
          cursor: r.cursor,
          lastSeq: item.lastSeq,
          newActivities: r.newActivities,
          touched: r.touched,
          changes: [],
          applyMs: 0,
        };
      } else {
        const r = applyPage(cache, item.page);
        report = {
          events: item.page.events.length,
          cursor: r.cursor,
          lastSeq: item.lastSeq,
          newActivities: r.newActivities,
          touched: [],
          changes: r.changes,
          applyMs: 0,
        };
      }
      report.applyMs = performance.now() - a0;
    } catch (e) {
      // nothing of the page is in the cache (its transaction rolled back); the run ends here
      stopped.add(item.run);
      failed.add(item.run);
      tell({ t: 'done', run: item.run, error: null, failure: e instanceof Error ? e.message : String(e) });
      fetcher.postMessage({ t: 'stop', run: item.run } satisfies WriterAck);
      return;
    }
    // the page is in the cache: its buffer goes back for a later page (nothing here keeps it)
    const buffer =
      item.t === 'bulk' && item.page.pageJson instanceof Uint8Array ? item.page.pageJson.buffer : null;
    if (buffer instanceof ArrayBuffer)
      fetcher.postMessage({ t: 'ack', run: item.run, buffer } satisfies WriterAck, [buffer]);
    else fetcher.postMessage({ t: 'ack', run: item.run } satisfies WriterAck);
    tell({ t: 'page', run: item.run, report });
  });
  tell({ t: 'ready', role: 'writer' });
}
