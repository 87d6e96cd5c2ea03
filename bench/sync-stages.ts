/**
 * Where a first sync's time went, stage by stage, on one thread (issue 22 profiling aid): HTTP,
 * JSON.parse, zod per event, rows JSON, insert — the path before src-main/core/sync/page-check.ts.
 * `npx tsx bench/sync-stages.ts <collector.db> <filled.json> [N]`: with N and no db file yet, fills
 * one with N events first (bench/scenarios/fill.ts) and writes its token to filled.json.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceivedEventsResponse } from '../src-shared/api';
import { openCache } from '../src-main/core/cache';
import { eventRow } from '../src-main/core/cache/events';
import { PULL_PAGE_SIZE } from '../src-main/core/sync/pull';
import { startServer, TSX } from './lib/proc';
import { fillSqlite } from './scenarios/fill';

const [db, meta, fill] = process.argv.slice(2);
if (!db || !meta) throw new Error('usage: sync-stages.ts <db> <filled.json> [N to fill]');
if (fill && !existsSync(db)) writeFileSync(meta, JSON.stringify(await fillSqlite(db, Number(fill))));
const filled = JSON.parse(readFileSync(meta, 'utf8')) as { token: string };
const server = await startServer(
  [...TSX, 'src-collector/cli.ts', 'serve', '--port', '0', '--db', db],
  {
    DATABASE_URL: '',
    LOG_LEVEL: 'info',
  },
  { ownSession: true },
);
const dir = mkdtempSync(join(tmpdir(), 'blitz-stages-'));
const cache = openCache(join(dir, 'cache.db'));
const t = { http: 0, parse: 0, zod: 0, rows: 0, insert: 0, bytes: 0 };
let after = 0;
const t00 = performance.now();
for (;;) {
  let t0 = performance.now();
  const res = await fetch(`${server.url}/api/v1/events?after=${after}&limit=${PULL_PAGE_SIZE}`, {
    headers: { authorization: `Bearer ${filled.token}` },
  });
  const text = await res.text();
  t.http += performance.now() - t0;
  t.bytes += text.length;
  t0 = performance.now();
  const json: unknown = JSON.parse(text);
  t.parse += performance.now() - t0;
  t0 = performance.now();
  const page = ReceivedEventsResponse.parse(json);
  t.zod += performance.now() - t0;
  if (page.events.length === 0) break;
  t0 = performance.now();
  const rowsJson = JSON.stringify(page.events.map(eventRow));
  t.rows += performance.now() - t0;
  t0 = performance.now();
  cache.tx(() => cache.events.insertRowsJson(rowsJson));
  t.insert += performance.now() - t0;
  after = page.next;
}
const total = performance.now() - t00;
console.log(
  JSON.stringify({
    totalMs: Math.round(total),
    ...Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v)])),
  }),
);
cache.close();
await server.stop();
rmSync(dir, { recursive: true, force: true });
