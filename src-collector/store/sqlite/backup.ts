import { chmodSync, cpSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { latestVersion } from '../../../src-shared/migrations';
import { ok, type Result, type TextError } from '../../../src-shared/result';
import { fail, newest, RESTORE_SEQ_GAP, type BackupSummary } from '../backup';
import { schemaStatus } from '../schema-status';
import { recordedVersions } from './migrate';
import { migrations } from './migrations';

/**
 * `backup` and `restore` of a SQLite store (the command: src-collector/ops/backup.ts). A backup is
 * SQLite's online backup of the file (better-sqlite3's backup API: a consistent snapshot while the
 * collector writes) plus, beside it, `<FILE>.files/` with the offers' files. Restore goes only
 * into an EMPTY target.
 */

const LABEL = 'collector database (SQLite)';

/** newest recorded version (the file's offer versions of before issue 15 counted in) */
function sqliteVersion(db: Database.Database): number | null {
  return newest(recordedVersions(db));
}

export async function backupSqlite(file: string, out: string): Promise<Result<BackupSummary, TextError>> {
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

export async function restoreSqlite(file: string, target: string): Promise<Result<BackupSummary, TextError>> {
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
    const recorded = recordedVersions(src);
    version = newest(recorded);
    if (schemaStatus(LABEL, migrations, recorded) === 'ahead')
      return fail(
        'backup_too_new',
        `Die Sicherung hat Schema ${version}, dieser Collector kennt nur ${latestVersion(LABEL, migrations)} (backup is from a newer collector)`,
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
