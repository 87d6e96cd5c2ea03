import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { backup, restore } from '../../src-collector/ops/backup';
import { migrations } from '../../src-collector/store/sqlite/migrations';

const FIXTURE = join(__dirname, '../fixtures/collector-main/collector.db');
const dir = mkdtempSync(join(tmpdir(), 'blitz-backup-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tables = (file: string): string[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
      .all()
      .map((r) => r.name);
  } finally {
    db.close();
  }
};

describe('backup and restore read the one runner’s bookkeeping (SQLite)', () => {
  it('a file from before issue 15 reports its offer versions in the one sequence, and is left as it was', async () => {
    const file = join(dir, 'old.db');
    copyFileSync(FIXTURE, file);
    const r = await backup({ out: join(dir, 'old-backup.db'), db: file });
    if (!r.ok) throw new Error(r.error.message);
    // collector 1–4 plus offers 1–2 carried over as 5–6 (store/sqlite/migrate.ts)
    expect(r.value.schemaVersion).toBe(6);
    // the backup does not migrate: the old bookkeeping is still there in source and copy
    expect(tables(file)).toContain('offer_schema_version');
    expect(tables(join(dir, 'old-backup.db'))).toContain('offer_schema_version');
  });

  it('a backup recording a version newer than this code’s sequence is refused, naming both', async () => {
    const file = join(dir, 'new.db');
    copyFileSync(FIXTURE, file);
    const db = new Database(file);
    db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (999, ?)').run('x');
    db.close();
    const out = join(dir, 'new-backup.db');
    const b = await backup({ out, db: file });
    if (!b.ok) throw new Error(b.error.message);
    expect(b.value.schemaVersion).toBe(999);
    const r = await restore({ file: out, db: join(dir, 'target.db') });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('backup_too_new');
    expect(r.error.message).toContain('999');
    expect(r.error.message).toContain(String(migrations.length));
  });
});
