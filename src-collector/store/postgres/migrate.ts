import type { Sql } from 'postgres';
import { migrations } from './migrations';

/**
 * Applies every migration newer than the schema's schema_version in one transaction. An advisory
 * lock keyed by the schema makes collectors that start together on one database take turns.
 */
export async function migrate(sql: Sql): Promise<number> {
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext('blitz-migrate:' || current_schema()))`;
    await tx`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`;
    const [row] = await tx<{ v: number | null }[]>`SELECT MAX(version) AS v FROM schema_version`;
    const current = row?.v ?? 0;
    if (current > latest) {
      throw new Error(
        `database schema version ${current} is newer than this collector (${latest}); refusing to run an older binary on it`,
      );
    }
    for (const m of migrations) {
      if (m.version <= current) continue;
      await tx.unsafe(m.sql);
      await tx`INSERT INTO schema_version (version, applied_at) VALUES (${m.version}, now())`;
    }
  });
  return latest;
}
