import type { MessagePort } from 'node:worker_threads';
import { eventRow } from '../../cache/events';
import { createCollectorClient } from '../../collector/client';
import type { FetchedItem, ThreadsData, ToFetcher, WriterAck } from './protocol';

/**
 * The fetching thread: pulls pages from the cursor it is given, at most `maxAhead` pages ahead of
 * what the writer confirmed, and hands each over parsed and checked. Page n+1 is requested as soon
 * as page n's `next` is known, so the collector reads it while this thread checks page n and the
 * writer applies page n-1. On a first sync the rows are handed over as one JSON text that SQLite
 * reads itself; otherwise the checked page, so the writer can tell what each event did.
 */
export function runFetcher(data: ThreadsData, parent: MessagePort, writer: MessagePort): void {
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
    let cursor = o.after;
    let pending = client.pullEvents(cursor, o.pageSize);
    for (;;) {
      const res = await pending;
      if (o.run !== current) return;
      if (!res.ok) return send({ t: 'end', run: o.run, error: res.error });
      const page = res.value;
      const empty = page.events.length === 0 && page.messages.length === 0;
      const last = empty || page.next <= cursor;
      cursor = Math.max(cursor, page.next);
      if (!last && !stopped) pending = client.pullEvents(cursor, o.pageSize);
      const lastSeq = page.lastSeq ?? null;
      if (!empty) {
        if (o.history) {
          const messageIds = [...new Set(page.events.map((e) => e.messageId))];
          const sorted = isSortedBySeq(page.events)
            ? page.events
            : [...page.events].sort((a, b) => a.seq - b.seq);
          send({
            t: 'bulk',
            run: o.run,
            lastSeq,
            page: {
              rowsJson: JSON.stringify(sorted.map(eventRow)),
              events: page.events.length,
              messageIds,
              messages: page.messages,
              next: page.next,
            },
          });
        } else send({ t: 'page', run: o.run, lastSeq, page });
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

function isSortedBySeq(events: readonly { seq: number }[]): boolean {
  for (let i = 1; i < events.length; i++) if (events[i - 1]!.seq > events[i]!.seq) return false;
  return true;
}
