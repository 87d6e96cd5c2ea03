import type { EventsResponse } from '../../../../src-shared/api';
import type { CollectorError } from '../../collector/errors';
import type { AppliedChange, BulkPage } from '../apply';

/**
 * Messages between the sync's two threads and the thread that serves the UI. The fetching thread
 * asks the collector for pages, parses and checks them; the writing thread owns a write connection
 * to the cache and applies each page in one transaction with its cursor. The UI's thread only
 * starts a run and hears how far it got.
 */

export interface ThreadsData {
  /** `both`: one thread fetches and writes (the two roles talk over a channel inside it) */
  role: 'fetcher' | 'writer' | 'both';
  cacheFile: string;
  /** the write gate the UI's connection shares (cache/write-gate.ts); absent: SQLite alone decides */
  writeGate?: SharedArrayBuffer;
  /** nice value of the sync threads on Linux (0: the app's own priority) */
  nice: number;
}

/**
 * The collector a run pulls from. It comes with each run, not with the threads: they start with
 * the core, before the agent may have entered a collector, and outlive a change of it.
 */
export interface RunCollector {
  baseUrl: string;
  token: string;
  timeoutMs: number;
}

/** UI thread → fetcher */
export type ToFetcher =
  | {
      t: 'pull';
      run: number;
      collector: RunCollector;
      after: number;
      history: boolean;
      pageSize: number;
      maxAhead: number;
    }
  | { t: 'stop'; run: number };

/** either sync thread → UI thread, once: its code is loaded (and the writer's cache open) */
export type ThreadReady = { t: 'ready'; role: 'fetcher' | 'writer' };

/** UI thread → writer; `idle` is answered once what the writer was given before it is done */
export type ToWriter = { t: 'stop'; run: number } | { t: 'idle'; id: number };

/** fetcher → writer, over their own channel (in page order) */
export type FetchedItem =
  | { t: 'bulk'; run: number; page: BulkPage; lastSeq: number | null }
  | { t: 'page'; run: number; page: EventsResponse; lastSeq: number | null }
  | { t: 'end'; run: number; error: CollectorError | null };

/**
 * writer → fetcher: a page committed (the fetcher keeps at most maxAhead pages unconfirmed), or
 * stop. `buffer`: the committed page's bytes' buffer, back for the next page (worker/fetcher.ts)
 */
export type WriterAck = { t: 'ack' | 'stop'; run: number; buffer?: ArrayBuffer };

export interface PageReport {
  events: number;
  cursor: number;
  /** the account's newest seq as the collector last said (null: an older collector) */
  lastSeq: number | null;
  newActivities: string[];
  /** activities whose events changed on a bulk page (changes stay empty there) */
  touched: string[];
  changes: AppliedChange[];
  applyMs: number;
}

/** writer → UI thread */
export type FromWriter =
  | ThreadReady
  | { t: 'idle'; id: number }
  | { t: 'page'; run: number; report: PageReport }
  | { t: 'done'; run: number; error: CollectorError | null; failure: string | null };
