import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fillSqlite, type Filled } from '../scenarios/fill';

/**
 * The collector database of `n` events that bench/sync-profile.ts and bench/sync-overlap.ts share
 * in `outDir`: filled once (`collector-<n>.db` and its account in `collector-<n>.json`), then run
 * as a copy (`collector-run.db`), whose evidence chain has caught up after its first run.
 */
export async function syncSeed(
  outDir: string,
  n: number,
): Promise<{ seed: string; db: string; filled: Filled }> {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const seed = join(out, `collector-${n}.db`);
  const meta = join(out, `collector-${n}.json`);
  if (!existsSync(seed) || !existsSync(meta)) writeFileSync(meta, JSON.stringify(await fillSqlite(seed, n)));
  return {
    seed,
    db: join(out, 'collector-run.db'),
    filled: JSON.parse(readFileSync(meta, 'utf8')) as Filled,
  };
}
