import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../../../src-main/core/cache';
import { excerptOf } from '../../../../src-main/core/cache/drafts';
import { migrate, schemaVersion } from '../../../../src-main/core/cache/migrations';

const draft = {
  to: [{ email: 'anna@kunde.example', name: 'Anna Beispiel' }],
  cc: [],
  bcc: [],
  subject: 'Exposé Musterstraße',
  html: '<p>Guten Tag,</p><p>anbei <b>das</b> Exposé &amp; die Pläne.</p>',
  track: null,
  individually: false,
};

describe('migration 008_drafts', () => {
  let db: Database.Database | undefined;
  let dir: string | undefined;
  afterEach(() => {
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    db = dir = undefined;
  });

  it('adds the drafts table to a version-7 cache', () => {
    db = new Database(':memory:');
    expect(migrate(db, 7)).toBe(7);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'drafts'").get()).toBeUndefined();
    expect(migrate(db, 8)).toBe(8);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(8);
    const cols = db
      .prepare<[], { name: string }>('PRAGMA table_info(drafts)')
      .all()
      .map((c) => c.name);
    expect(cols).toEqual(['id', 'body', 'updated_at']);
  });

  it('keeps a draft across closing and reopening the cache file, newest first, until deleted', () => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-drafts-'));
    const file = join(dir, 'cache.sqlite');
    let cache = openCache(file);
    const first = cache.drafts.save(draft, new Date('2026-12-06T08:00:00Z'));
    const second = cache.drafts.save(
      { ...draft, subject: 'Zweiter', to: [{ email: 'halb@', name: null }] },
      new Date('2026-12-06T09:00:00Z'),
    );
    // saving again under the same id updates, it does not add
    cache.drafts.save(
      { ...draft, id: first.id, subject: 'Exposé Musterstraße 1' },
      new Date('2026-12-06T08:30:00Z'),
    );
    cache.close();

    cache = openCache(file);
    const list = cache.drafts.list();
    expect(list.map((d) => d.subject)).toEqual(['Zweiter', 'Exposé Musterstraße 1']);
    expect(list[1]?.recipients).toEqual(['Anna Beispiel']);
    expect(list[1]?.excerpt).toBe('Guten Tag, anbei das Exposé & die Pläne.');
    const got = cache.drafts.get(first.id);
    expect(got?.html).toBe(draft.html);
    expect(got?.updatedAt).toBe('2026-12-06T08:30:00.000Z');
    // a half-typed address stays as typed: a draft is not a send
    expect(cache.drafts.get(second.id)?.to).toEqual([{ email: 'halb@', name: null }]);
    expect(cache.drafts.delete(first.id)).toBe(true);
    expect(cache.drafts.get(first.id)).toBeNull();
    cache.close();
  });

  it('a stored draft that no longer parses is left out instead of breaking the list', () => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-drafts-'));
    const cache = openCache(join(dir, 'cache.sqlite'));
    cache.drafts.save(draft);
    cache.db
      .prepare("INSERT INTO drafts (id, body, updated_at) VALUES ('bad', '{\"to\": 5}', '2030-01-01')")
      .run();
    expect(cache.drafts.list()).toHaveLength(1);
    expect(cache.drafts.get('bad')).toBeNull();
    cache.close();
  });

  it('keeps the language of the notes; a draft stored before the choice existed reads as German', () => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-drafts-'));
    const cache = openCache(join(dir, 'cache.sqlite'));
    const en = cache.drafts.save({ ...draft, prospectLanguage: 'en' });
    expect(cache.drafts.get(en.id)?.prospectLanguage).toBe('en');
    cache.db
      .prepare("INSERT INTO drafts (id, body, updated_at) VALUES ('older', ?, '2026-12-01T08:00:00.000Z')")
      .run(JSON.stringify(draft));
    expect(cache.drafts.get('older')?.prospectLanguage).toBe('de');
    cache.close();
  });

  it('the excerpt is the text of the first words', () => {
    expect(excerptOf('<div>eins<br>zwei</div><ul><li>drei</li></ul>')).toBe('eins zwei drei');
    expect(excerptOf(`<p>${'a'.repeat(300)}</p>`)).toHaveLength(120);
  });
});
