import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { PgConsent, pgConsentSubjectParts } from '../../src-collector/store/postgres/consent';
import { migrate as migratePg } from '../../src-collector/store/postgres/migrate';
import type { ConsentStore } from '../../src-collector/store/consent/types';
import { SqliteConsent, sqliteConsentSubjectParts } from '../../src-collector/store/sqlite/consent';
import { migrate as migrateSqlite } from '../../src-collector/store/sqlite/migrate';
import type { SubjectPart } from '../../src-collector/store/subject/types';
import { createScratchSchema, PG_SKIP_REASON, skipWithoutPg } from '../collector-pg/pg-support';

/**
 * Issue 17: the consent aggregate's SubjectParts (contacts, consent records) export everything
 * about an address in any letter case and erase it, leaving other addresses and accounts alone.
 */
const skipPg = skipWithoutPg();
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function exercise(store: ConsentStore, parts: SubjectPart[]): Promise<void> {
  const at = '2026-12-06T10:00:00.000Z';
  const consent = (accountId: string, emailLower: string) =>
    store.recordConsent({
      accountId,
      emailLower,
      kind: 'given',
      messageId: 'm1',
      token: 't1',
      wording: 'Ich willige ein',
      wordingSha256: 'h',
      wordingVersion: '1',
      at,
      ip: '203.0.113.7',
      userAgent: 'UA',
    });
  await store.setContactMode('a1', 'anna@kunde.example', 'after_consent', 'u1', at);
  await consent('a1', 'anna@kunde.example');
  await consent('a1', 'bernd@kunde.example');
  await consent('a2', 'anna@kunde.example');
  expect(parts.map((p) => p.kind)).toEqual(['contacts', 'consent']);
  const [contacts, records] = parts as [SubjectPart, SubjectPart];
  const exported = await contacts.exportSubject('a1', 'Anna@Kunde.example');
  expect(exported).toHaveLength(1);
  expect(exported[0]).toMatchObject({
    email_lower: 'anna@kunde.example',
    mode: 'after_consent',
    consent_state: 'given',
  });
  const recs = await records.exportSubject('a1', 'anna@kunde.example');
  expect(recs).toHaveLength(1);
  expect(recs[0]).toMatchObject({ ip: '203.0.113.7', wording: 'Ich willige ein' });

  expect(await contacts.eraseSubject('a1', 'ANNA@kunde.example')).toBe(1);
  expect(await records.eraseSubject('a1', 'anna@kunde.example')).toBe(1);
  expect(await contacts.exportSubject('a1', 'anna@kunde.example')).toEqual([]);
  expect(await records.exportSubject('a1', 'anna@kunde.example')).toEqual([]);
  // another address and another account keep theirs
  expect(await records.exportSubject('a1', 'bernd@kunde.example')).toHaveLength(1);
  expect(await records.exportSubject('a2', 'anna@kunde.example')).toHaveLength(1);
  expect((await store.contactsConsent('a2', ['anna@kunde.example'])).get('anna@kunde.example')?.state).toBe(
    'given',
  );
}

describe('consent SubjectParts', () => {
  it('SQLite', async () => {
    const db = new Database(':memory:');
    migrateSqlite(db);
    try {
      await exercise(new SqliteConsent(db), sqliteConsentSubjectParts(db));
    } finally {
      db.close();
    }
  });

  it.skipIf(skipPg)(`PostgreSQL${skipPg ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, async () => {
    const s = await createScratchSchema();
    const sql = postgres(s.url, { max: 2, onnotice: () => {} });
    cleanup.push(() => s.drop());
    cleanup.push(() => sql.end({ timeout: 2 }));
    await migratePg(sql);
    await exercise(new PgConsent(sql), pgConsentSubjectParts(sql));
  });
});
