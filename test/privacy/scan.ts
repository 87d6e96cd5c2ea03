import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';

/** where a needle was found: table (or file) and column */
export interface Found {
  where: string;
  column: string;
  needle: string;
}

function contains(v: unknown, needles: readonly string[]): string | null {
  let text: string;
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return null;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) text = Buffer.from(v).toString('latin1');
  else if (v instanceof Date) return null;
  else if (typeof v === 'string') text = v;
  else text = JSON.stringify(v);
  const lower = text.toLowerCase();
  return needles.find((n) => lower.includes(n.toLowerCase())) ?? null;
}

/**
 * Every row of every table of a SQLite file, every column that can hold text or bytes, read
 * generically from the schema (a table added later is scanned too), any letter case.
 */
export function scanSqlite(file: string, needles: readonly string[]): Found[] {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    const out: Found[] = [];
    for (const t of tables) {
      for (const row of db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]) {
        for (const [column, v] of Object.entries(row)) {
          const n = contains(v, needles);
          if (n) out.push({ where: t, column, needle: n });
        }
      }
    }
    return out;
  } finally {
    db.close();
  }
}

/** the same over every table of a PostgreSQL schema (from information_schema) */
export async function scanPg(url: string, needles: readonly string[]): Promise<Found[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
    const out: Found[] = [];
    for (const { table_name: t } of tables) {
      for (const row of await sql.unsafe(`SELECT * FROM "${t}"`)) {
        for (const [column, v] of Object.entries(row as Record<string, unknown>)) {
          const n = contains(v, needles);
          if (n) out.push({ where: t, column, needle: n });
        }
      }
    }
    return out;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** every file below `dir`, its bytes and its name */
export function scanDir(dir: string, needles: readonly string[]): Found[] {
  const out: Found[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const n = contains(readFileSync(p), needles) ?? contains(name, needles);
        if (n) out.push({ where: p, column: 'file', needle: n });
      }
    }
  };
  walk(dir);
  return out;
}
