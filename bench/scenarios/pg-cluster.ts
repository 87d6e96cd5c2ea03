import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import postgres from 'postgres';
import { ROOT } from '../lib/proc';

/**
 * The PostgreSQL the benchmarks use: BLITZ_BENCH_DATABASE_URL (bench/run.ts moves DATABASE_URL
 * there) or BLITZ_TEST_DATABASE_URL when set, else a
 * throwaway cluster of scripts/ci-postgres.sh, stopped by release(). Each server gets its own schema.
 */
let shared: { url: string; dir: string | null; users: number } | null = null;

export async function acquirePg(): Promise<string> {
  if (!shared) {
    const given = process.env.BLITZ_BENCH_DATABASE_URL || process.env.BLITZ_TEST_DATABASE_URL;
    if (given) {
      shared = { url: given, dir: null, users: 0 };
    } else {
      const r = spawnSync(join(ROOT, 'scripts/ci-postgres.sh'), ['start'], { encoding: 'utf8' });
      const url = /export DATABASE_URL=(\S+)/.exec(r.stdout)?.[1];
      const dir = /export BLITZ_PG_DIR=(\S+)/.exec(r.stdout)?.[1];
      if (r.status !== 0 || !url || !dir) throw new Error(`no PostgreSQL for the benchmark: ${r.stderr}`);
      shared = { url, dir, users: 0 };
    }
  }
  shared.users++;
  return shared.url;
}

export function releasePg(): void {
  if (!shared) return;
  if (--shared.users > 0) return;
  if (shared.dir) spawnSync(join(ROOT, 'scripts/ci-postgres.sh'), ['stop', shared.dir], { encoding: 'utf8' });
  shared = null;
}

/** a fresh schema; the URL selects it; drop() removes it */
export async function benchSchema(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bench_${randomBytes(5).toString('hex')}`;
  const sql = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`CREATE SCHEMA ${name}`);
  } finally {
    await sql.end({ timeout: 2 });
  }
  const u = new URL(base);
  u.searchParams.set('search_path', name);
  return {
    url: u.toString(),
    async drop() {
      const s = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await s.unsafe(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      } finally {
        await s.end({ timeout: 2 });
      }
    },
  };
}

/** rows in a table of the schema the URL selects */
export async function countRows(url: string, table: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: string }[]>`SELECT count(*) AS n FROM ${sql(table)}`;
    return Number(row?.n ?? 0);
  } finally {
    await sql.end({ timeout: 2 });
  }
}
