/**
 * Applying 100,000 synced events into the desktop cache (npx tsx bench/cache.ts).
 * Measures the real sync path (applyPage: upsert by id, message lookup, cursor, one transaction
 * per page of PULL_PAGE_SIZE) against a baseline of raw prepared INSERTs into the same table in the same
 * run, then a replay of every page (the idempotent no-op path).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrackingEvent } from '../src-shared/events';
import type { EventsResponse, MessageSummary } from '../src-shared/api';
import { openCache } from '../src-main/core/cache';
import { applyPage } from '../src-main/core/sync/apply';
import { PULL_PAGE_SIZE } from '../src-main/core/sync/pull';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 100_000);
const PAGE = PULL_PAGE_SIZE;
const MESSAGES = 2_000;

function makeEvents(): { events: TrackingEvent[]; messages: (MessageSummary & { seq: number })[] } {
  const messages = Array.from({ length: MESSAGES }, (_, i) => ({
    messageId: `msg-${i}`,
    clientId: `client-${i}`,
    subject: `Exposé ${i}`,
    sentIndividually: i % 2 === 0,
    recipients: [{ email: `kunde${i}@example.org`, name: `Kunde ${i}` }],
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    userId: 'u1',
    seq: i + 1,
  }));
  const events = Array.from({ length: TOTAL }, (_, i): TrackingEvent => ({
    id: `evt-${i.toString(36)}-${(i * 7919).toString(36)}`,
    seq: MESSAGES + i + 1,
    type: i % 5 === 0 ? 'email.link_clicked' : 'email.opened',
    messageId: `msg-${i % MESSAGES}`,
    recipientEmail: i % 2 === 0 ? `kunde${i % MESSAGES}@example.org` : null,
    occurredAt: new Date(Date.UTC(2026, 0, 2) + i * 1000).toISOString(),
    detail: i % 5 === 0 ? { url: 'https://example.org/objekt/1', linkIndex: 0 } : {},
    client: {
      verdict: i % 3 === 0 ? 'prefetch' : 'human',
      reasons: i % 3 === 0 ? ['ip.apple_mpp'] : [],
      uaFamily: 'Chrome',
      os: 'Windows',
      ipPrefix: '198.51.100.0/24',
    },
  }));
  return { events, messages };
}

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const dir = mkdtempSync(join(tmpdir(), 'blitz-bench-cache-'));
try {
  const { events, messages } = makeEvents();
  const pages: Pick<EventsResponse, 'events' | 'messages' | 'next'>[] = [];
  pages.push({ events: [], messages, next: MESSAGES });
  for (let i = 0; i < TOTAL; i += PAGE) {
    const slice = events.slice(i, i + PAGE);
    pages.push({ events: slice, messages: [], next: slice[slice.length - 1]!.seq });
  }

  // baseline: raw INSERTs of the same rows, same table, same page transactions
  const base = openCache(join(dir, 'baseline.sqlite'));
  const insert = base.db
    .prepare(`INSERT INTO events (id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, body)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const baseMs = time(() => {
    for (let i = 0; i < TOTAL; i += PAGE) {
      base.db.transaction(() => {
        for (const e of events.slice(i, i + PAGE)) {
          insert.run(
            e.id,
            e.seq,
            e.messageId,
            e.type,
            e.recipientEmail,
            e.occurredAt,
            e.client.verdict,
            JSON.stringify(e),
          );
        }
      })();
    }
  });
  base.close();

  const cache = openCache(join(dir, 'sync.sqlite'));
  let changes = 0;
  const syncMs = time(() => {
    for (const p of pages) changes += applyPage(cache, p).changes.length;
  });
  let replayed = 0;
  const replayMs = time(() => {
    for (const p of pages) replayed += applyPage(cache, p).changes.length;
  });
  const listMs = time(() => cache.activities.list('', 'all'));
  cache.close();

  const rate = (ms: number) => Math.round((TOTAL / ms) * 1000);
  console.log(
    JSON.stringify(
      {
        events: TOTAL,
        pageSize: PAGE,
        baselineRawInsert: { ms: Math.round(baseMs), eventsPerSec: rate(baseMs) },
        syncApply: {
          ms: Math.round(syncMs),
          eventsPerSec: rate(syncMs),
          applied: changes,
          ofBaseline: +(baseMs / syncMs).toFixed(2),
        },
        replayAllPages: { ms: Math.round(replayMs), eventsPerSec: rate(replayMs), applied: replayed },
        activitiesListMs: Math.round(listMs),
      },
      null,
      2,
    ),
  );
  if (changes !== TOTAL || replayed !== 0) {
    console.error('unexpected: every event must apply once and a replay must change nothing');
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
