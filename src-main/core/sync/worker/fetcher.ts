import type { MessagePort } from 'node:worker_threads';
import type { PeerPort } from './local-port';
import { ok } from '../../../../src-shared/result';
import { createCollectorClient, type CollectorResult } from '../../collector/client';
import { checkBulkPage, checkPage } from '../page-check';
import type { FetchedItem, ThreadsData, ToFetcher, WriterAck } from './protocol';

/**
 * The fetching thread: pulls pages from the cursor it is given, at most `maxAhead` pages ahead of
 * what the writer confirmed, and hands each over parsed and checked. Page n+1 is requested as soon
 * as page n's `next` is known, so the collector reads it while this thread checks page n and the
 * writer applies page n-1. On a first sync the page's own text is handed over, checked, for SQLite
 * to read the events out of (page-check.ts); otherwise the parsed page, so the writer can tell
 * what each event did.
 */
export function runFetcher(data: ThreadsData, parent: MessagePort, writer: PeerPort): void {
  const client = createCollectorClient({
    baseUrl: data.baseUrl,
    token: data.token,
    timeoutMs: data.timeoutMs,
  });
  let current = 0;
  let stopped = true;
  let unconfirmed = 0;
  let wake: (() => void) | null = null;

  writer.on('message', (m: WriterAck) => {
    if (m.run !== current) return;
    if (m.t === 'stop') stopped = true;
    else unconfirmed--;
    wake?.();
  });
  parent.on('message', (m: ToFetcher) => {
    if (m.t === 'stop') {
      if (m.run === current) stopped = true;
      wake?.();
      return;
    }
    current = m.run;
    stopped = false;
    unconfirmed = 0;
    void pull(m);
  });

  const send = (item: FetchedItem): void => writer.postMessage(item);

  async function pull(o: Extract<ToFetcher, { t: 'pull' }>): Promise<void> {
    // a first sync's pages are checked for the bulk path (page-check.ts); others parsed in full
    type Fetched = { item: FetchedItem; next: number; empty: boolean };
    const fetchPage = async (after: number): Promise<CollectorResult<Fetched>> => {
      if (o.history) {
        const res = await client.pullEventsChecked(after, o.pageSize, checkBulkPage);
        if (!res.ok) return res;
        const { lastSeq, ...page } = res.value;
        const empty = page.events === 0 && page.messages.length === 0;
        return ok({ item: { t: 'bulk', run: o.run, lastSeq, page }, next: page.next, empty });
      }
      const res = await client.pullEventsChecked(after, o.pageSize, checkPage);
      if (!res.ok) return res;
      const page = res.value;
      const empty = page.events.length === 0 && page.messages.length === 0;
      return ok({
        item: { t: 'page', run: o.run, lastSeq: page.lastSeq ?? null, page },
        next: page.next,
        empty,
      });
    };
    let cursor = o.after;
    let pending = fetchPage(cursor);
    for (;;) {
      const res = await pending;
      if (o.run !== current) return;
      if (!res.ok) return send({ t: 'end', run: o.run, error: res.error });
      const { item, next, empty } = res.value;
      const last = empty || next <= cursor;
      cursor = Math.max(cursor, next);
      if (!last && !stopped) pending = fetchPage(cursor);
      if (!empty) {
        send(item);
        unconfirmed++;
      }
      if (last || stopped) return send({ t: 'end', run: o.run, error: null });
      // the next request is already out; wait before parsing it while the writer is behind
      while (unconfirmed >= o.maxAhead && !stopped && o.run === current)
        await new Promise<void>((r) => (wake = r));
      wake = null;
      if (o.run !== current) return;
      if (stopped) return send({ t: 'end', run: o.run, error: null });
    }
  }
}
