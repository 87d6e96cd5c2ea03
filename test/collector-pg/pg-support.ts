import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/**
 * Scratch PostgreSQL schemas for tests. The database comes from BLITZ_TEST_DATABASE_URL
 * (`eval "$(scripts/ci-postgres.sh start)"` sets it). Without it, PG tests skip locally with a
 * clear reason, and fail in CI (CI=true), where a missing database is a broken setup.
 */
export const PG_URL = process.env.BLITZ_TEST_DATABASE_URL ?? '';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

export const PG_SKIP_REASON =
  'no BLITZ_TEST_DATABASE_URL: start one with eval "$(scripts/ci-postgres.sh start)"';

/** true when PG tests should be skipped; throws in CI when the database is missing */
export function skipWithoutPg(): boolean {
  if (PG_URL) return false;
  if (IN_CI) throw new Error(`PostgreSQL tests cannot run in CI: ${PG_SKIP_REASON}`);
  console.warn(`SKIPPED PostgreSQL tests: ${PG_SKIP_REASON}`);
  return true;
}

export interface ScratchSchema {
  name: string;
  /** the database URL with this schema as search_path */
  url: string;
  drop(): Promise<void>;
}

/** a fresh, empty schema in the test database; drop() removes it with everything in it */
export async function createScratchSchema(base = PG_URL): Promise<ScratchSchema> {
  if (!base) throw new Error(`PostgreSQL needed: ${PG_SKIP_REASON}`);
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE SCHEMA ${name}`);
  } finally {
    await admin.end({ timeout: 2 });
  }
  const u = new URL(base);
  u.searchParams.set('search_path', name);
  let dropped = false;
  return {
    name,
    url: u.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      const sql = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      } finally {
        await sql.end({ timeout: 2 });
      }
    },
  };
}
