import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations as pgMigrations } from '../../src-collector/store/postgres/migrations';
import { migrations as sqliteMigrations } from '../../src-collector/store/sqlite/migrations';
import { openStore } from '../../src-collector/store/open';
import type { Store } from '../../src-collector/store/types';
import { createScratchSchema, PG_SKIP_REASON, PG_URL } from '../collector-pg/pg-support';

/**
 * Databases written by the code of main before issue 15 (two migration runners, offers in their
 * own version table; test/fixtures/collector-main/make.ts says how they were made) open with the
 * one runner: the offer versions become versions of the one sequence, nothing is lost, and the
 * landing event recorded back then names its offer.
 */
const FIXTURES = join(__dirname, '../fixtures/collector-main');
const dir = mkdtempSync(join(tmpdir(), 'blitz-old-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function expectStoreSeesOldData(store: Store): Promise<void> {
  const user = await store.findUserByTokenHash('a'.repeat(64));
  expect(user?.email).toBe('agent@alt.example');
  const page = await store.pullEvents(user!, 0, 100);
  expect(page.messages.map((m) => m.clientId)).toEqual(['old-client-1']);
  expect(page.events.map((e) => [e.id, e.offerId])).toEqual([
    ['old-event-open', undefined],
    ['old-event-landing', 'old-offer-1'],
  ]);
  const evidence = await store.listEvidence('old-offer-1');
  expect(evidence.map((e) => [e.confirmation, e.ip])).toEqual([['widerruf_received', '203.0.113.7']]);
}

describe('a collector database made by the code before the one migration runner', () => {
  it('SQLite: upgrades to the newest version, keeps its rows, fills the offer of old landing events', async () => {
    const file = join(dir, 'old.db');
    copyFileSync(join(FIXTURES, 'collector.db'), file);
    const opened = await openStore({ file });
    if (!opened.ok) throw new Error(opened.error.detail ?? opened.error.message);
    try {
      await expectStoreSeesOldData(opened.value);
    } finally {
      await opened.value.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual(
        sqliteMigrations.map((m) => m.version),
      );
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'offer_schema_version'").all()).toEqual(
        [],
      );
    } finally {
      db.close();
    }
  });

  it.skipIf(!PG_URL)(`PostgreSQL: the same${PG_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, async () => {
    const scratch = await createScratchSchema();
    const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
    try {
      const dump = readFileSync(join(FIXTURES, 'postgres.sql'), 'utf8').replaceAll(
        '__SCHEMA__',
        scratch.name,
      );
      await sql.unsafe(dump);
      const opened = await openStore({ databaseUrl: scratch.url });
      if (!opened.ok) throw new Error(opened.error.detail ?? opened.error.message);
      try {
        await expectStoreSeesOldData(opened.value);
      } finally {
        await opened.value.close();
      }
      expect((await sql`SELECT version FROM schema_version ORDER BY version`).map((r) => r.version)).toEqual(
        pgMigrations.map((m) => m.version),
      );
      expect(await sql`SELECT to_regclass('offer_schema_version') AS t`).toEqual([{ t: null }]);
    } finally {
      await sql.end({ timeout: 2 });
      await scratch.drop();
    }
  });
});
