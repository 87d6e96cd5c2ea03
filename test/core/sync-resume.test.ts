import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillSqlite, type Filled } from '../../bench/scenarios/fill';
import { startCollector, type RunningCollector } from '../../src-collector/server';
import { CURSOR_KEY } from '../../src-main/core/sync/apply';
import { tempDir } from './helpers';

/**
 * A sync killed (SIGKILL, no chance to clean up) at a random page resumes from its cursor without
 * a gap, without a duplicate, and the cursor never stands ahead of the rows it was committed with.
 */
const EVENTS = 24_000;
const PAGE = 400;
let dir: string;
let filled: Filled;
let col: RunningCollector;

beforeAll(async () => {
  dir = tempDir('blitz-sync-resume-');
  const db = join(dir, 'collector.db');
  filled = await fillSqlite(db, EVENTS);
  col = await startCollector({ db, rateLimit: false, logLevel: 'silent' });
}, 120_000);

afterAll(async () => {
  await col?.close();
});

/** runs the sync child; `killAtPage`: SIGKILL once it reported that many committed pages */
function runChild(
  cacheFile: string,
  history: boolean,
  killAtPage?: number,
): Promise<{ pages: number; killed: boolean; done: boolean; lastCursor: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/support/sync-child.ts',
      cacheFile,
      col.url,
      filled.token,
      String(PAGE),
      history ? '1' : '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let pages = 0;
  let done = false;
  let killed = false;
  let lastCursor = 0;
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^page (\d+) (\d+)$/.exec(line);
      if (m) {
        pages = Number(m[1]);
        lastCursor = Number(m[2]);
        if (killAtPage !== undefined && pages >= killAtPage && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      } else if (line === 'done') done = true;
    }
  });
  return new Promise((resolve) => child.on('exit', () => resolve({ pages, killed, done, lastCursor })));
}

/** what the cache holds: cursor, and whether its rows are exactly the events up to the cursor */
function inspect(cacheFile: string): { cursor: number; rows: number; distinctIds: number; seqs: number[] } {
  if (!existsSync(cacheFile)) return { cursor: 0, rows: 0, distinctIds: 0, seqs: [] };
  const db = new Database(cacheFile, { readonly: true });
  try {
    const cursorRow = db
      .prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?')
      .get(CURSOR_KEY);
    const seqs = db
      .prepare<[], { seq: number }>('SELECT seq FROM events ORDER BY seq')
      .all()
      .map((r) => r.seq);
    const ids = db.prepare<[], { n: number }>('SELECT COUNT(DISTINCT id) AS n FROM events').get()!.n;
    return {
      cursor: cursorRow ? (JSON.parse(cursorRow.value) as number) : 0,
      rows: seqs.length,
      distinctIds: ids,
      seqs,
    };
  } finally {
    db.close();
  }
}

/** the fill's events have seq 2 … EVENTS + 1 (seq 1 is the message registration) */
function expectExactlyUpTo(state: ReturnType<typeof inspect>): void {
  const expected = Math.max(0, state.cursor - 1);
  expect(state.rows).toBe(expected);
  expect(state.distinctIds).toBe(state.rows);
  // no gap and nothing beyond the cursor: the rows are exactly seq 2 … cursor
  if (state.rows > 0) {
    expect(state.seqs[0]).toBe(2);
    expect(state.seqs.at(-1)).toBe(state.cursor);
    expect(state.seqs.every((s, i) => s === i + 2)).toBe(true);
  }
}

describe('sync killed at a random page', () => {
  for (const history of [true, false]) {
    it(`${history ? 'first sync (bulk path)' : 'catch-up (per-event path)'}: resumes without gap or duplicate`, async () => {
      const cacheFile = join(dir, `cache-${history ? 'bulk' : 'events'}.sqlite`);
      const totalPages = Math.ceil((EVENTS + 1) / PAGE);
      // two kills at random pages, then a run to the end
      for (let round = 0; round < 2; round++) {
        const before = inspect(cacheFile).cursor;
        const killAt = 1 + Math.floor(Math.random() * Math.floor(totalPages / 3));
        const r = await runChild(cacheFile, history, killAt);
        expect(r.killed).toBe(true);
        expect(r.done).toBe(false);
        const state = inspect(cacheFile);
        // the pages the child reported are committed; at most the pages in flight beyond them
        expect(state.cursor).toBeGreaterThanOrEqual(r.lastCursor);
        expect(state.cursor).toBeGreaterThan(before);
        expectExactlyUpTo(state);
      }
      const end = await runChild(cacheFile, history);
      expect(end.done).toBe(true);
      const state = inspect(cacheFile);
      expect(state.cursor).toBe(EVENTS + 1);
      expectExactlyUpTo(state);
      expect(state.rows).toBe(EVENTS);
    }, 180_000);
  }
});
