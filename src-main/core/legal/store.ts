import type Database from 'better-sqlite3';

export type LegalKind = 'widerrufsbelehrung' | 'agb' | 'datenschutz';

export interface LegalVersion {
  version: number;
  text: string;
  createdAt: string;
}

/** „Nr. 2 vom 01.07.2025“: what the prospect sees as the Fassung, at most 50 characters */
export function versionLabel(v: { version: number; createdAt: string }): string {
  const d = new Date(v.createdAt);
  const dd = new Intl.DateTimeFormat('de-DE', {
    timeZone: 'Europe/Berlin',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(d);
  return `Nr. ${v.version} vom ${dd}`;
}

/** Legal texts, append-only: an edit is a new version; sent offers point at the one they carried. */
export function createLegalRepo(
  db: Database.Database,
  table: 'legal_texts' | 'legal_documents' = 'legal_texts',
) {
  const latest = db.prepare<[LegalKind], { version: number; text: string; created_at: string }>(
    `SELECT version, text, created_at FROM ${table} WHERE kind = ? ORDER BY version DESC LIMIT 1`,
  );
  const one = db.prepare<[LegalKind, number], { version: number; text: string; created_at: string }>(
    `SELECT version, text, created_at FROM ${table} WHERE kind = ? AND version = ?`,
  );
  const all = db.prepare<[LegalKind], { version: number; created_at: string }>(
    `SELECT version, created_at FROM ${table} WHERE kind = ? ORDER BY version DESC`,
  );
  const insert = db.prepare<[LegalKind, number, string, string]>(
    `INSERT INTO ${table} (kind, version, text, created_at) VALUES (?, ?, ?, ?)`,
  );
  const row = (r: { version: number; text: string; created_at: string }): LegalVersion => ({
    version: r.version,
    text: r.text,
    createdAt: r.created_at,
  });
  return {
    current(kind: LegalKind): LegalVersion | null {
      const r = latest.get(kind);
      return r ? row(r) : null;
    },
    get(kind: LegalKind, version: number): LegalVersion | null {
      const r = one.get(kind, version);
      return r ? row(r) : null;
    },
    versions(kind: LegalKind): { version: number; createdAt: string }[] {
      return all.all(kind).map((r) => ({ version: r.version, createdAt: r.created_at }));
    },
    /** a new version unless the text is unchanged; returns the current version */
    save(kind: LegalKind, text: string, at: string): LegalVersion {
      const cur = latest.get(kind);
      if (cur && cur.text === text) return row(cur);
      const version = (cur?.version ?? 0) + 1;
      insert.run(kind, version, text, at);
      return { version, text, createdAt: at };
    },
  };
}
export type LegalRepo = ReturnType<typeof createLegalRepo>;
