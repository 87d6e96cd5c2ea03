import type Database from 'better-sqlite3';

/** Small key → JSON values: settings mirror, sync cursor, preferences. */
export function createMetaRepo(db: Database.Database) {
  const getStmt = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const setStmt = db.prepare<[string, string]>(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const delStmt = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');
  return {
    get<T>(key: string): T | null {
      const row = getStmt.get(key);
      return row ? (JSON.parse(row.value) as T) : null;
    },
    set(key: string, value: unknown): void {
      setStmt.run(key, JSON.stringify(value));
    },
    delete(key: string): void {
      delStmt.run(key);
    },
  };
}
export type MetaRepo = ReturnType<typeof createMetaRepo>;
