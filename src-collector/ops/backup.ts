import { spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { err, ok, type Result, type TextError } from '../../src-shared/result';
import { migrations as pgMigrations } from '../store/postgres/migrations';
import { migrations as sqliteMigrations } from '../store/sqlite/migrations';

/**
 * `backup` and `restore` (docs/operations.md#backups). A backup is one file: SQLite's online backup
 * of the database (better-sqlite3's backup API: a consistent snapshot while the collector writes)
 * plus, beside it, `<FILE>.files/` with the offers' files; or a pg_dump archive (custom format,
 * files included, they live in the database). Restore goes only into an EMPTY store.
 */

export interface BackupSummary {
  kind: 'sqlite' | 'postgres';
  file: string;
  bytes: number;
  /** schema version in the backup */
  schemaVersion: number | null;
  /** SQLite: offer files copied beside the backup */
  files?: number;
}

/**
 * How far every account's sequence jumps ahead on a restore. Desktops that synced events newer than
 * the backup hold a cursor beyond the backup's last seq; without the jump, new events would get
 * numbers such a cursor already passed, and the desktop would never pull them. A gap in the
 * numbers is harmless (cursors ask for "after"), a reused number is not.
 */
export const RESTORE_SEQ_GAP = 1_000_000;

const SQLITE_MAGIC = 'SQLite format 3\0';
const PGDUMP_MAGIC = 'PGDMP';

function fail(code: string, message: string, detail?: string): Result<never, TextError> {
  return err({ code, message, detail });
}

const isUrl = (target: string): boolean => /^postgres(ql)?:\/\//.test(target);

export async function backup(opts: { out: string; db: string }): Promise<Result<BackupSummary, TextError>> {
  if (existsSync(opts.out))
    return fail(
      'backup_exists',
      `Die Sicherungsdatei ${opts.out} gibt es schon; sie wird nicht überschrieben (backup file exists, not overwritten)`,
    );
  if (!existsSync(dirname(opts.out)))
    return fail(
      'backup_dir_missing',
      `Den Ordner ${dirname(opts.out)} gibt es nicht (folder does not exist)`,
    );
  return isUrl(opts.db) ? backupPostgres(opts.db, opts.out) : backupSqlite(opts.db, opts.out);
}

export async function restore(opts: { file: string; db: string }): Promise<Result<BackupSummary, TextError>> {
  const kind = backupKind(opts.file);
  if (!kind)
    return fail(
      'not_a_backup',
      `${opts.file} ist keine Sicherung des Collectors (not a collector backup: neither SQLite nor pg_dump custom format)`,
    );
  if (kind === 'postgres' && !isUrl(opts.db))
    return fail(
      'restore_target_mismatch',
      'Eine PostgreSQL-Sicherung braucht als Ziel --db postgres://… (a pg_dump archive restores into PostgreSQL only)',
    );
  if (kind === 'sqlite' && isUrl(opts.db))
    return fail(
      'restore_target_mismatch',
      'Eine SQLite-Sicherung braucht als Ziel eine Datei (an SQLite backup restores into a file)',
    );
  return kind === 'sqlite' ? restoreSqlite(opts.file, opts.db) : restorePostgres(opts.file, opts.db);
}

function backupKind(file: string): 'sqlite' | 'postgres' | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    const text = head.subarray(0, n).toString('latin1');
    if (text === SQLITE_MAGIC) return 'sqlite';
    if (text.startsWith(PGDUMP_MAGIC)) return 'postgres';
    return null;
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------- SQLite

function sqliteVersion(db: Database.Database): number | null {
  const has = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (!has) return null;
  return (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v;
}

async function backupSqlite(file: string, out: string): Promise<Result<BackupSummary, TextError>> {
  if (!existsSync(file))
    return fail('store_missing', `Die Datenbank ${file} gibt es nicht (database file does not exist)`);
  const tmp = `${out}.partial`;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { fileMustExist: true });
    // the online backup API copies page by page and restarts when the collector writes between
    // steps; what it ends with is one consistent snapshot (every commit before its last step)
    await db.backup(tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    return fail('backup_failed', 'Die Sicherung ist fehlgeschlagen (backup failed)', String(e));
  } finally {
    db?.close();
  }
  const check = new Database(tmp, { readonly: true });
  const integrity = (check.pragma('integrity_check', { simple: true }) as string) ?? '';
  const version = sqliteVersion(check);
  check.close();
  if (integrity !== 'ok') {
    rmSync(tmp, { force: true });
    return fail(
      'backup_failed',
      'Die Sicherung ist beschädigt (backup failed its integrity check)',
      integrity,
    );
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, out);
  // offer files are content-addressed and written before the row that names them commits: every
  // file the snapshot refers to is there now (a newer one more is harmless)
  const files = copyFiles(`${file}.files`, `${out}.files`);
  return ok({ kind: 'sqlite', file: out, bytes: statSync(out).size, schemaVersion: version, files });
}

function copyFiles(from: string, to: string): number {
  if (!existsSync(from)) return 0;
  cpSync(from, to, { recursive: true, preserveTimestamps: true, errorOnExist: true, force: false });
  chmodSync(to, 0o700);
  return countFiles(to);
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    n += e.isDirectory() ? countFiles(`${dir}/${e.name}`) : 1;
  }
  return n;
}

function sqliteIsEmpty(file: string): boolean {
  for (const f of [`${file}-wal`, `${file}.files`]) {
    if (existsSync(f) && (statSync(f).isDirectory() ? readdirSync(f).length > 0 : statSync(f).size > 0))
      return false;
  }
  if (!existsSync(file)) return true;
  if (statSync(file).size === 0) return true;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const n = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
      n: number;
    };
    return n.n === 0;
  } finally {
    db.close();
  }
}

async function restoreSqlite(file: string, target: string): Promise<Result<BackupSummary, TextError>> {
  let empty: boolean;
  try {
    empty = sqliteIsEmpty(target);
  } catch (e) {
    return fail(
      'restore_target_unreadable',
      `${target} kann nicht geprüft werden (cannot inspect target)`,
      String(e),
    );
  }
  if (!empty)
    return fail(
      'restore_target_not_empty',
      `Das Ziel ${target} ist nicht leer; wiederhergestellt wird nur in einen leeren Speicher (target store is not empty: restore only into an empty one)`,
    );
  const src = new Database(file, { readonly: true, fileMustExist: true });
  let version: number | null;
  try {
    const integrity = src.pragma('integrity_check', { simple: true }) as string;
    if (integrity !== 'ok')
      return fail(
        'backup_corrupt',
        'Die Sicherung ist beschädigt (backup failed its integrity check)',
        integrity,
      );
    version = sqliteVersion(src);
    const latest = sqliteMigrations.reduce((m, x) => Math.max(m, x.version), 0);
    if (version !== null && version > latest)
      return fail(
        'backup_too_new',
        `Die Sicherung hat Schema ${version}, dieser Collector kennt nur ${latest} (backup is from a newer collector)`,
      );
    if (!existsSync(dirname(target)))
      return fail(
        'restore_dir_missing',
        `Den Ordner ${dirname(target)} gibt es nicht (folder does not exist)`,
      );
    const tmp = `${target}.restoring`;
    rmSync(tmp, { force: true });
    await src.backup(tmp);
    chmodSync(tmp, 0o600);
    for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
    renameSync(tmp, target);
    const t = new Database(target);
    try {
      t.prepare('UPDATE accounts SET last_seq = last_seq + ?').run(RESTORE_SEQ_GAP);
    } finally {
      t.close();
    }
  } catch (e) {
    return fail('restore_failed', 'Die Wiederherstellung ist fehlgeschlagen (restore failed)', String(e));
  } finally {
    src.close();
  }
  if (existsSync(`${target}.files`)) rmSync(`${target}.files`, { recursive: true, force: true });
  const files = copyFiles(`${file}.files`, `${target}.files`);
  return ok({ kind: 'sqlite', file: target, bytes: statSync(target).size, schemaVersion: version, files });
}

// ---------------------------------------------------------------- PostgreSQL

/** pg_dump / pg_restore of the newest installed version (they must not be older than the server) */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const fromEnv = process.env.BLITZ_PG_BIN;
  if (fromEnv && existsSync(`${fromEnv}/${name}`)) return `${fromEnv}/${name}`;
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/${name}`))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return `/usr/lib/postgresql/${versions[0]}/bin/${name}`;
  } catch {
    // not Debian's layout: PATH below
  }
  return name;
}

/**
 * The URL for libpq (pg_dump, pg_restore): without the query parameters only postgres.js knows
 * (`max`, `search_path`); the schema comes back as `--schema`.
 */
export function libpqTarget(url: string): { url: string; schema: string | null } {
  const u = new URL(url);
  const schema = u.searchParams.get('search_path');
  for (const k of [...u.searchParams.keys()])
    if (k === 'max' || k === 'search_path') u.searchParams.delete(k);
  return { url: u.toString(), schema };
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', (e) => resolve({ code: -1, stderr: String(e) }));
    p.on('exit', (code) => resolve({ code, stderr }));
  });
}

async function pgVersion(url: string): Promise<number | null> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const [row] = await sql<{ v: number | null }[]>`SELECT MAX(version) AS v FROM schema_version`;
    return row?.v ?? null;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function backupPostgres(url: string, out: string): Promise<Result<BackupSummary, TextError>> {
  const target = libpqTarget(url);
  let version: number | null;
  try {
    version = await pgVersion(url);
  } catch (e) {
    return fail(
      'postgres_not_available',
      'Die PostgreSQL-Datenbank ist nicht erreichbar (PostgreSQL database not reachable)',
      String(e),
    );
  }
  const tmp = `${out}.partial`;
  // one snapshot for the whole dump (pg_dump runs in one repeatable-read transaction): every
  // commit before it started is in, none after, across all tables, the evidence included
  const r = await run(pgTool('pg_dump'), [
    '--format=custom',
    '--no-owner',
    '--no-privileges',
    ...(target.schema ? [`--schema=${target.schema}`] : []),
    `--file=${tmp}`,
    `--dbname=${target.url}`,
  ]);
  if (r.code !== 0) {
    rmSync(tmp, { force: true });
    return fail('backup_failed', 'pg_dump ist fehlgeschlagen (pg_dump failed)', r.stderr.trim());
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, out);
  return ok({ kind: 'postgres', file: out, bytes: statSync(out).size, schemaVersion: version });
}

async function restorePostgres(file: string, url: string): Promise<Result<BackupSummary, TextError>> {
  const target = libpqTarget(url);
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  let tables: number;
  try {
    // empty: no table in any schema of the database but the system's
    const [row] = await sql<{ n: number }[]>`
      SELECT COUNT(*)::int AS n FROM pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`;
    tables = row?.n ?? 0;
  } catch (e) {
    await sql.end({ timeout: 1 });
    return fail(
      'postgres_not_available',
      'Die PostgreSQL-Datenbank ist nicht erreichbar (PostgreSQL database not reachable)',
      String(e),
    );
  }
  await sql.end({ timeout: 1 });
  if (tables > 0)
    return fail(
      'restore_target_not_empty',
      `Die Zieldatenbank enthält schon ${tables} Tabellen; wiederhergestellt wird nur in eine leere Datenbank (target database is not empty: restore only into an empty one)`,
    );
  const r = await run(pgTool('pg_restore'), [
    '--no-owner',
    '--no-privileges',
    '--exit-on-error',
    '--single-transaction',
    `--dbname=${target.url}`,
    file,
  ]);
  if (r.code !== 0)
    return fail('restore_failed', 'pg_restore ist fehlgeschlagen (pg_restore failed)', r.stderr.trim());
  const version = await pgVersion(url).catch(() => null);
  const gap = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await gap`UPDATE account_seq SET last_seq = last_seq + ${RESTORE_SEQ_GAP}`;
  } catch (e) {
    return fail(
      'restore_failed',
      'Die Sequenzen konnten nicht vorgerückt werden (could not advance the sequences)',
      String(e),
    );
  } finally {
    await gap.end({ timeout: 1 });
  }
  const latest = pgMigrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (version !== null && version > latest)
    return fail(
      'backup_too_new',
      `Die Sicherung hat Schema ${version}, dieser Collector kennt nur ${latest}; sie ist eingespielt, aber dieser Collector startet darauf nicht (restored, but from a newer collector)`,
    );
  return ok({ kind: 'postgres', file, bytes: statSync(file).size, schemaVersion: version });
}
