import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Result, TextError } from '../../src-shared/result';
import { fail, type BackupSummary } from '../store/backup';
import { backupPostgres, restorePostgres } from '../store/postgres/backup';
import { backupSqlite, restoreSqlite } from '../store/sqlite/backup';

export { RESTORE_SEQ_GAP, type BackupSummary } from '../store/backup';

/**
 * `backup` and `restore` (docs/operations.md#backups): which dialect a target or a backup file is,
 * and the checks that need no database. The database work is the store's, per dialect
 * (store/sqlite/backup.ts: online backup plus `<FILE>.files/`; store/postgres/backup.ts: pg_dump
 * custom format). Restore goes only into an EMPTY store.
 */

const SQLITE_MAGIC = 'SQLite format 3\0';
const PGDUMP_MAGIC = 'PGDMP';

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
