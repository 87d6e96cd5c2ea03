import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer, TSX, type Server } from '../lib/proc';
import { wrk, type LoadResult } from '../lib/wrk';
import { startBlitz, type BlitzUnderTest } from './blitz-setup';
import { startNginx } from './nginx';
import { acquirePg, benchSchema, countRows, releasePg } from './pg-cluster';
import type { BenchOptions, Row, Scenario } from './types';

const TOKENS = 500;
const fakePixel = Array.from({ length: TOKENS }, (_, i) => `/o/bench${String(i).padStart(24, '0')}.gif`);
const fakeClick = Array.from({ length: TOKENS }, (_, i) => `/c/bench${String(i).padStart(24, '0')}/0`);

interface Target {
  key: string;
  label: string;
  start(): Promise<{
    url: string;
    pixel: string[];
    click: string[];
    stored?: () => Promise<number>;
    stop(): Promise<void>;
  }>;
}

function plain(server: Server, stored?: () => Promise<number>, after?: () => Promise<void>) {
  return {
    url: server.url,
    pixel: fakePixel,
    click: fakeClick,
    stored,
    stop: async () => {
      await server.stop();
      await after?.();
    },
  };
}

function blitz(b: BlitzUnderTest) {
  return {
    url: b.server.url,
    pixel: b.pixelPaths,
    click: b.clickPaths,
    stored: () => b.storedEvents(),
    stop: () => b.stop(),
  };
}

/**
 * One table, same wrk (threads, connections, duration) against: (a) nginx static GIF, (b) bare
 * node:http, (c) naive collectors that write one row per request in its own durable transaction
 * (SQLite FULL, PostgreSQL), (d) Blitz/SQLite and (e) Blitz/PostgreSQL, both durable, each
 * answering after its group commit. Pixel and click for each, warm-up first.
 */
export const compare: Scenario = {
  name: 'compare',
  description: 'pixel and click: nginx, node:http, naive SQLite/PostgreSQL, Blitz SQLite/PostgreSQL',
  async run(opts: BenchOptions): Promise<Row[]> {
    const pg = await acquirePg();
    const targets: Target[] = [
      { key: 'nginx', label: '(a) nginx static GIF, 1 worker', start: async () => plain(await startNginx()) },
      {
        key: 'node',
        label: '(b) node:http GIF, records nothing',
        start: async () => plain(await startServer([...TSX, 'bench/servers/bare-http.ts'])),
      },
      {
        key: 'naive-sqlite',
        label: '(c) naive SQLite, 1 INSERT/request, FULL',
        start: async () => {
          const dir = mkdtempSync(join(tmpdir(), 'blitz-naive-'));
          const file = join(dir, 'naive.db');
          const s = await startServer([...TSX, 'bench/servers/naive-sqlite.ts', file]);
          const stored = async (): Promise<number> => {
            const db = new Database(file, { readonly: true });
            try {
              return (db.prepare('SELECT COUNT(*) AS n FROM hits').get() as { n: number }).n;
            } finally {
              db.close();
            }
          };
          return plain(s, stored, async () => rmSync(dir, { recursive: true, force: true }));
        },
      },
      {
        key: 'naive-postgres',
        label: '(c) naive PostgreSQL, 1 INSERT/request',
        start: async () => {
          const schema = await benchSchema(pg);
          const s = await startServer([...TSX, 'bench/servers/naive-postgres.ts'], {
            DATABASE_URL: schema.url,
          });
          return plain(
            s,
            () => countRows(schema.url, 'hits'),
            () => schema.drop(),
          );
        },
      },
      {
        key: 'blitz-sqlite',
        label: '(d) Blitz/SQLite, synchronous=FULL',
        start: async () => blitz(await startBlitz('sqlite')),
      },
      {
        key: 'blitz-postgres',
        label: '(e) Blitz/PostgreSQL, synchronous_commit=on',
        start: async () => blitz(await startBlitz('postgres', { pgBase: pg })),
      },
    ];
    const rows: Row[] = [];
    try {
      for (const t of targets) {
        process.stderr.write(`  ${t.label}\n`);
        const s = await t.start();
        try {
          for (const kind of ['pixel', 'click'] as const) {
            const paths = kind === 'pixel' ? s.pixel : s.click;
            if (opts.warmupS > 0) await wrk(s.url, paths, { ...opts, durationS: opts.warmupS });
            const before = s.stored ? await s.stored() : 0;
            const r: LoadResult = await wrk(s.url, paths, opts);
            let note = '';
            if (s.stored) {
              await new Promise((res) => setTimeout(res, 300));
              const stored = (await s.stored()) - before;
              note = `${stored} rows stored`;
              // an answered hit that is not stored would break the durability promise
              if (stored < r.requests - r.errors)
                note += ` (FEWER than the ${r.requests - r.errors} answered)`;
            }
            rows.push({ scenario: kind, server: t.label, connections: opts.connections, ...r, note });
          }
        } finally {
          await s.stop();
        }
      }
    } finally {
      releasePg();
    }
    for (const kind of ['pixel', 'click']) {
      const node = rows.find((r) => r.scenario === kind && r.server.startsWith('(b)'));
      for (const r of rows) if (r.scenario === kind && node && node.rps > 0) r.ratio = r.rps / node.rps;
    }
    return rows;
  },
};
