import { err, type Result, type TextError } from '../../src-shared/result';

/**
 * What the dialects' backup and restore (sqlite/backup.ts, postgres/backup.ts) share; the
 * command that picks one is src-collector/ops/backup.ts (docs/operations.md#backups).
 */
export interface BackupSummary {
  kind: 'sqlite' | 'postgres';
  file: string;
  bytes: number;
  /** newest schema version recorded in the backup (the dialect's own sequence) */
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

export function fail(code: string, message: string, detail?: string): Result<never, TextError> {
  return err({ code, message, detail });
}

export const newest = (versions: readonly number[]): number | null =>
  versions.length ? Math.max(...versions) : null;
