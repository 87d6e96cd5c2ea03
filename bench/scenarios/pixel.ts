import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { benchUser, ROOT, startServer, TSX } from '../lib/proc';
import { wrk } from '../lib/wrk';
import type { BenchOptions, Row, Scenario } from './types';

const RECIPIENTS = 500;

/**
 * Pixel hits: Blitz (SQLite file, WAL, synchronous=FULL, each answer after its group commit)
 * against a bare node:http server answering the same GIF and recording nothing. Same wrk, same
 * connections, same run; hits rotate over 500 tracker tokens.
 */
export const pixel: Scenario = {
  name: 'pixel',
  description: 'GET /o/{token}.gif, durable Blitz vs. bare node:http GIF',
  async run(opts: BenchOptions): Promise<Row[]> {
    const rows: Row[] = [];

    const bare = await startServer([...TSX, 'bench/servers/bare-gif.ts']);
    const paths = Array.from({ length: RECIPIENTS }, (_, i) => `/o/bench${String(i).padStart(20, '0')}.gif`);
    try {
      if (opts.warmupS > 0) await wrk(bare.url, paths, { ...opts, durationS: opts.warmupS });
      const r = await wrk(bare.url, paths, opts);
      rows.push({
        scenario: 'pixel',
        server: 'node:http GIF (records nothing)',
        connections: opts.connections,
        ...r,
      });
    } finally {
      await bare.stop();
    }

    const dir = mkdtempSync(join(tmpdir(), 'blitz-bench-db-'));
    const db = join(dir, 'bench.db');
    try {
      const token = benchUser(['--db', db]);
      const blitz = await startServer([...TSX, 'src-collector/cli.ts', 'serve', '--port', '0', '--db', db], {
        LOG_LEVEL: 'info',
      });
      try {
        const reg = await fetch(`${blitz.url}/api/v1/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            clientId: 'bench',
            subject: 'Bench',
            sentIndividually: true,
            recipients: Array.from({ length: RECIPIENTS }, (_, i) => ({ email: `r${i}@bench.example` })),
            links: ['https://bench.example/'],
          }),
        });
        const body = (await reg.json()) as { trackers: { pixelUrl: string }[] };
        const blitzPaths = body.trackers.map((t) => new URL(t.pixelUrl).pathname);
        if (opts.warmupS > 0) await wrk(blitz.url, blitzPaths, { ...opts, durationS: opts.warmupS });
        const before = countEvents(db);
        const r = await wrk(blitz.url, blitzPaths, opts);
        await new Promise((res) => setTimeout(res, 200));
        const stored = countEvents(db) - before;
        rows.push({
          scenario: 'pixel',
          server: 'Blitz (SQLite, synchronous=FULL, answer after commit)',
          connections: opts.connections,
          ...r,
          note: `${stored} events stored during the run`,
        });
      } finally {
        await blitz.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [ceiling, ours] = rows;
    if (ceiling && ours && ceiling.rps > 0) ours.ratio = ours.rps / ceiling.rps;
    return rows;
  },
};

function countEvents(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export { ROOT };
