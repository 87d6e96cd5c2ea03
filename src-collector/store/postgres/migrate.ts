import type { Sql, TransactionSql } from 'postgres';
import { migrateAsync, type AsyncMigrationDialect } from '../../../src-shared/migrations';
import { migrations } from './migrations';

/**
 * Until issue 15 the offer tables had their own runner and version table (offer_schema_version,
 * versions 1–2, always applied after the collector's 1–3). They are versions 4–5 of the one
 * sequence now: a schema from then has its offer versions carried over once, and the old table goes.
 */
const OFFER_VERSION_OFFSET = 3;

async function adoptOfferBookkeeping(tx: TransactionSql): Promise<void> {
  const [old] = await tx<{ t: string | null }[]>`SELECT to_regclass('offer_schema_version')::text AS t`;
  if (!old?.t) return;
  await tx`INSERT INTO schema_version (version, applied_at)
    SELECT version + ${OFFER_VERSION_OFFSET}, now() FROM offer_schema_version ON CONFLICT (version) DO NOTHING`;
  await tx`DROP TABLE offer_schema_version`;
}

/**
 * The versions the schema records, read only (nothing created, nothing carried over): for probes
 * and backups. A schema from before issue 15 counts its offer versions as the one sequence does.
 * `sql` may be a transaction.
 */
export async function recordedVersions(sql: Sql | TransactionSql): Promise<number[]> {
  const [t] = await sql<{ main: string | null; offers: string | null }[]>`
    SELECT to_regclass('schema_version')::text AS main, to_regclass('offer_schema_version')::text AS offers`;
  const versions = t?.main
    ? (await sql<{ v: number }[]>`SELECT version AS v FROM schema_version`).map((r) => r.v)
    : [];
  if (t?.offers)
    for (const r of await sql<{ v: number }[]>`SELECT version AS v FROM offer_schema_version`)
      versions.push(r.v + OFFER_VERSION_OFFSET);
  return [...new Set(versions)];
}

/**
 * Everything in one transaction; an advisory lock keyed by the schema makes collectors that
 * start together on one database take turns.
 */
function dialect(sql: Sql): AsyncMigrationDialect<TransactionSql> {
  return {
    label: 'collector database (PostgreSQL)',
    session: (fn) =>
      sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(hashtext('blitz-migrate:' || current_schema()))`;
        return fn(tx);
      }) as Promise<never>,
    async appliedVersions(tx) {
      await tx`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`;
      await adoptOfferBookkeeping(tx);
      return (await tx<{ version: number }[]>`SELECT version FROM schema_version`).map((r) => r.version);
    },
    record: async (tx, m) => {
      await tx`INSERT INTO schema_version (version, applied_at) VALUES (${m.version}, now())`;
    },
  };
}

/** Brings the collector's PostgreSQL schema to the newest version (src-shared/migrations.ts). */
export function migrate(sql: Sql, target?: number): Promise<number> {
  return migrateAsync(dialect(sql), migrations, target);
}
