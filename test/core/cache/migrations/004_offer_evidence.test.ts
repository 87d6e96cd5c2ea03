import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../src-main/core/cache/migrations';
import { createOffersRepo } from '../../../../src-main/core/offers/store';
import type { OfferEvidence } from '../../../../src-shared/api';

const item: OfferEvidence = {
  id: 'ev-1',
  offerId: 'offer-1',
  recipientEmail: 'anna@kunde.example',
  confirmation: 'cancellation_policy_read',
  wording: 'Ich habe die Widerrufsbelehrung (Fassung Nr. 1 vom 29.11.2026) gelesen.',
  wordingSha256: 'a'.repeat(64),
  policyVersion: '1',
  confirmedAt: '2026-11-29T08:19:10.000Z',
  ip: '198.51.100.23',
  userAgent: 'Mozilla/5.0',
};

describe('migration 004_offer_evidence', () => {
  let db: Database.Database;
  afterEach(() => db?.close());

  it('adds the kept evidence per offer, removed with its offer', () => {
    db = new Database(':memory:');
    expect(migrate(db, 3)).toBe(3);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'offer_evidence'").get()).toBeUndefined();
    expect(migrate(db, 4)).toBe(4);
    expect(schemaVersion(db)).toBe(4);
    const cols = db
      .prepare<[], { name: string }>('PRAGMA table_info(offer_evidence)')
      .all()
      .map((c) => c.name);
    expect(cols).toEqual(['activity_id', 'evidence', 'fetched_at']);
    const fk = db
      .prepare<[], { table: string; to: string; on_delete: string }>(
        'PRAGMA foreign_key_list(offer_evidence)',
      )
      .all();
    expect(fk).toEqual([
      expect.objectContaining({ table: 'offers', to: 'activity_id', on_delete: 'CASCADE' }),
    ]);
  });

  it('keeps the last list with its time; a copy that no longer parses counts as none', () => {
    db = new Database(':memory:');
    migrate(db);
    // the row's offer is beside the point here (the first test checks the key)
    db.pragma('foreign_keys = OFF');
    const repo = createOffersRepo(db);
    expect(repo.evidence('act-1')).toBeNull();
    repo.saveEvidence('act-1', [item], '2026-11-29T08:20:00.000Z');
    repo.saveEvidence(
      'act-1',
      [item, { ...item, id: 'ev-2', confirmation: 'early_start' }],
      '2026-11-29T09:00:00.000Z',
    );
    const kept = repo.evidence('act-1');
    expect(kept?.fetchedAt).toBe('2026-11-29T09:00:00.000Z');
    expect(kept?.evidence.map((e) => e.id)).toEqual(['ev-1', 'ev-2']);
    expect(kept?.evidence[0]).toEqual(item);
    // a damaged file: no evidence shown rather than something unchecked
    db.prepare('UPDATE offer_evidence SET evidence = \'[{"id":1}]\'').run();
    expect(repo.evidence('act-1')).toBeNull();
  });
});
