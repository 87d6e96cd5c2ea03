import type { MessagePort } from 'node:worker_threads';
import type { PeerPort } from './local-port';
import { ok } from '../../../../src-shared/result';
import { createCollectorClient, type CollectorClient, type CollectorResult } from '../../collector/client';
import type { EventsShape } from '../../../../src-shared/event-rows';
import { checkBulkPageBytes, checkPage } from '../page-check';
import type { FetchedItem, RunCollector, ThreadReady, ToFetcher, ToWriter, WriterAck } from './protocol';

/**
 * The fetching thread: pulls pages from the cursor it is given, at most `maxAhead` pages ahead of
 * what the writer confirmed, and hands each over parsed and checked. Page n+1 is requested as soon
 * as page n's `next` is known, so the collector reads it while this thread checks page n and the
 * writer applies page n-1. On a first sync the page's own text is handed over, checked, for SQLite
 * to read the events out of (page-check.ts); otherwise the parsed page, so the writer can tell
 * what each event did.
 */
export function runFetcher(parent: MessagePort, writer: PeerPort): void {
  // kept while runs name the same collector: its keep-alive connection serves the next run.
  // `rows`: whether a first sync asks for pages of the rows shape (an older collector refuses it)
  type Known = { key: string; client: CollectorClient; rows: boolean };
  let known: Known | null = null;
  const clientFor = (c: RunCollector): Known => {
    const key = `${c.baseUrl}\n${c.token}\n${c.timeoutMs}`;
    if (known?.key !== key) known = { key, client: createCollectorClient(c), rows: true };
    return known;
  };
  let current = 0;
  let stopped = true;
  let unconfirmed = 0;
  let wake: (() => void) | null = null;

  const pool = pagePool();
  writer.on('message', (m: WriterAck) => {
    if (m.buffer) pool.give(m.buffer);
    if (m.run !== current) return;
    if (m.t === 'stop') stopped = true;
    else unconfirmed--;
    wake?.();
  });
  // with both roles on one thread the writer's messages (ToWriter) come here too
  parent.on('message', (m: ToFetcher | ToWriter) => {
    if (m.t === 'stop') {
      if (m.run === current) stopped = true;
      wake?.();
      return;
    }
    if (m.t !== 'pull') return;
    current = m.run;
    stopped = false;
    unconfirmed = 0;
    void pull(m);
  });
  parent.postMessage({ t: 'ready', role: 'fetcher' } satisfies ThreadReady);

  // a first sync's page bytes move to the writer without a copy (the fetcher keeps no reference)
  const send = (item: FetchedItem): void =>
    item.t === 'bulk' && item.page.pageJson instanceof Uint8Array
      ? writer.postMessage(item, [item.page.pageJson.buffer as ArrayBuffer])
      : writer.postMessage(item);

  async function pull(o: Extract<ToFetcher, { t: 'pull' }>): Promise<void> {
    const collector = clientFor(o.collector);
    const { client } = collector;
    // a first sync's pages are checked for the bulk path (page-check.ts); others parsed in full
    type Fetched = { item: FetchedItem; next: number; empty: boolean };
    // `seen` runs with the page's `next` as the collector's header says it, then as the end of
    // its text says it, before the page is checked (see Request)
    const fetchPage = async (
      after: number,
      seen: (next: number | null) => void,
    ): Promise<CollectorResult<Fetched>> => {
      if (o.history) {
        // the page's bytes go on as they came (checked), for SQLite to read (page-check.ts), in
        // the rows shape where the collector has it (src-shared/event-rows.ts)
        const ask = (shape: EventsShape) =>
          client.pullEventsBytesChecked(after, o.pageSize, checkBulkPageBytes, {
            onBody: (bytes) => {
              const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
              seen(nextOfPageText(buf.toString('latin1', Math.max(0, buf.length - 80))));
            },
            onNext: seen,
            shape,
            alloc: pool.take,
          });
        let res = await ask(collector.rows ? 'rows' : 'events');
        if (!res.ok && res.error.status === 400 && collector.rows) {
          // a collector from before the rows shape: its pages as they always were
          collector.rows = false;
          res = await ask('events');
        }
        if (!res.ok) return res;
        const { lastSeq, ...page } = res.value;
        const empty = page.events === 0 && page.messages.length === 0;
        return ok({ item: { t: 'bulk', run: o.run, lastSeq, page }, next: page.next, empty });
      }
      const res = await client.pullEventsChecked(after, o.pageSize, checkPage, (text) =>
        seen(nextOfPageText(text.slice(-80))),
      );
      if (!res.ok) return res;
      const page = res.value;
      const empty = page.events.length === 0 && page.messages.length === 0;
      return ok({
        item: { t: 'page', run: o.run, lastSeq: page.lastSeq ?? null, page },
        next: page.next,
        empty,
      });
    };
    /**
     * A page asked for. Once the loop waits for it (`armed`), the request for the page after it
     * goes out as soon as its `next` is known, before the check and the apply of this one: the
     * collector reads page n+1 while this thread checks and writes page n (with the request sent
     * after the check, the collector sat idle during every check). A first sync's pages tell it in
     * a header (EVENTS_NEXT_HEADER), so the collector reads page n+1 while page n's 1.7 MB are
     * still on their way (with the body's tail alone it waited for them); otherwise the text's
     * tail tells. The early request takes that `after` unchecked; it is used only when the
     * checked page says the same.
     */
    type Request = {
      after: number;
      armed: boolean;
      early: Request | null;
      result: Promise<CollectorResult<Fetched>>;
    };
    const request = (after: number): Request => {
      const r: Request = { after, armed: false, early: null, result: Promise.resolve(null as never) };
      r.result = fetchPage(after, (next) => {
        if (!r.armed || r.early || stopped || o.run !== current) return;
        if (next !== null && next > after) r.early = request(next);
      });
      return r;
    };
    let cursor = o.after;
    let req = request(cursor);
    for (;;) {
      req.armed = true;
      const res = await req.result;
      if (o.run !== current) return;
      if (!res.ok) return send({ t: 'end', run: o.run, error: res.error });
      const { item, next, empty } = res.value;
      const last = empty || next <= cursor;
      cursor = Math.max(cursor, next);
      // a wrong early guess is left unanswered (its result is never used)
      if (!last && !stopped) req = req.early?.after === cursor ? req.early : request(cursor);
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

/** buffers a first sync's pages are read into, kept for reuse */
const POOL_MAX = 4;
/** a new buffer has this much room beyond its page, so that later, slightly larger pages fit */
const POOL_SLACK = 1 / 8;

/**
 * A first sync's page buffers, reused: the writer hands each page's buffer back once the page is
 * committed (protocol.ts, WriterAck). A new 1.4 MB buffer per page was ~340 page faults each
 * (~50,000 on 1,000,000 events, slow on a virtual machine) and garbage the threads collected.
 * A buffer comes back only after its page is in the cache, so the bytes never change under a
 * page still waiting to be applied.
 */
export function pagePool() {
  const free: ArrayBuffer[] = [];
  return {
    take(length: number): Uint8Array {
      const i = free.findIndex((b) => b.byteLength >= length);
      const buffer = i >= 0 ? free.splice(i, 1)[0]! : new ArrayBuffer(Math.ceil(length * (1 + POOL_SLACK)));
      return new Uint8Array(buffer, 0, length);
    },
    give(buffer: ArrayBuffer): void {
      if (free.length < POOL_MAX) free.push(buffer);
    },
  };
}

/** the `next` at the end of a page's text (`…,"next":123}` or `…,"next":123,"lastSeq":456}`), else null */
export function nextOfPageText(text: string): number | null {
  const m = /"next":(\d{1,15})(?:,"lastSeq":\d{1,15})?\}\s*$/.exec(text.slice(-80));
  return m ? Number(m[1]) : null;
}
